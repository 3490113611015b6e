/**
 * Measures of generated data: Fréchet distance, maximum mean discrepancy, principal components.
 */
package dev.jgen.eval;
