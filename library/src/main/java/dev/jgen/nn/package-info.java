/**
 * Layers and tensor operations on DJL; the only package that talks to the engine below DJL's
 * interface ({@link dev.jgen.nn.Backend}, {@link dev.jgen.nn.Ops}). Its convolutions pad channel counts
 * to a multiple of 16, so gradients stay finite on AVX-512 CPUs.
 */
package dev.jgen.nn;
