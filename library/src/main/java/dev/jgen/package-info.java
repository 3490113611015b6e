/**
 * jgen: generative models for a Java notebook. {@link dev.jgen.Gen} is where a notebook starts
 * ({@code Gen.vae()}, {@code Gen.gan()}, {@code Gen.flow()}, {@code Gen.diffusion()}, {@code Gen.load(dir)}).
 * Packages, from the bottom: {@code nn} (the only one that reaches below DJL's interface), {@code data},
 * {@code display}, {@code plot}, {@code eval}, {@code train}, and {@code model} with one package per family.
 */
package dev.jgen;
