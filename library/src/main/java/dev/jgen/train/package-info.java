/**
 * The training loop every family shares. {@link dev.jgen.train.TrainingLoop} runs epochs of batches,
 * feeds the dashboard and {@link dev.jgen.train.TrainingListener}s, and stops on interrupt or divergence
 * keeping every finished step. Each step calls a family's objective, which returns
 * {@link dev.jgen.train.Terms} (named scalars, the first the loss), through {@link dev.jgen.train.Adam#minimise}.
 */
package dev.jgen.train;
