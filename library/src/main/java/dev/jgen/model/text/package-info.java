/**
 * Character-level text generation: a decoder-only Transformer (causal self-attention, pre-layer-norm,
 * learned positions; Vaswani et al. 2017, Radford et al. 2019) and a bigram baseline, both a
 * {@link dev.jgen.model.text.TextModel} that trains with {@code Fit}, samples lines with a temperature and
 * top-k, and scores held-out text in bits per character.
 */
package dev.jgen.model.text;
