/**
 * Denoising diffusion, split as diffusers does: {@code Diffusion} holds the network, the
 * {@link dev.jgen.model.diffusion.NoiseSchedule} and the objective; a {@link dev.jgen.model.diffusion.Sampler}
 * (DDPM, DDIM, DPM-Solver++(2M), Euler ancestral, or your own) takes one step at a time, and the
 * sampling loop around it adds classifier-free guidance, inversion and trajectories.
 */
package dev.jgen.model.diffusion;
