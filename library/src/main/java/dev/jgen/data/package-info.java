/**
 * Data sets as the models see them: examples of one shape with optional labels; the packaged
 * Fashion-MNIST and generated 2-D toys.
 */
package dev.jgen.data;
