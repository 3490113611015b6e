/**
 * What every generative model does ({@link dev.jgen.model.GenerativeModel}: fit, sample, save,
 * history, device) and what latent-variable models add ({@link dev.jgen.model.LatentModel}: interpolate).
 * {@link dev.jgen.model.ModelBase} holds the one {@code fit}: it builds the networks for the data and runs
 * {@link dev.jgen.train.TrainingLoop}, whose every step sends the family's public objective through Adam.
 * {@link dev.jgen.model.Checkpoint} writes a folder: the family's config record as {@code model.json},
 * the weights, the optimizer state and the history. One package per family, each with a builder, a
 * validated config record, the model (networks, objective, sampling) and its helpers.
 */
package dev.jgen.model;
