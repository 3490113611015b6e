/**
 * GANs: a DCGAN for images, MLPs for points; optionally conditional or spectrally normalised.
 * Training alternates {@code discriminatorObjective} and {@code generatorObjective}.
 */
package dev.jgen.model.gan;
