/**
 * Models trained elsewhere: {@link dev.jgen.model.imported.TorchScript} runs networks exported from PyTorch
 * on jgen's libtorch (as a generator, or as a diffusion model's noise predictor), {@link
 * dev.jgen.model.imported.KerasModel} rebuilds Keras models saved in the TF.js layers format, and {@link
 * dev.jgen.model.imported.Pretrained} hands out the ones that ship with their weights in a package.
 */
package dev.jgen.model.imported;
