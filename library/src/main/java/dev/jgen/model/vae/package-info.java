/**
 * Variational autoencoder (Kingma and Welling 2014): {@code Vae.objective(x)} is the negative ELBO,
 * with its reconstruction and KL terms.
 */
package dev.jgen.model.vae;
