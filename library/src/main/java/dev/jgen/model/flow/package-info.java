/**
 * RealNVP normalizing flow: {@code Flow.objective(x)} is the exact negative log-likelihood, in
 * bits per dimension too for images.
 */
package dev.jgen.model.flow;
