/**
 * Figures and sample grids that render in a notebook: {@link dev.jgen.plot.Samples}, charts, image grids.
 */
package dev.jgen.plot;
