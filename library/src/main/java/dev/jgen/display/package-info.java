/**
 * What a notebook can show: {@link dev.jgen.display.Renderable} values render to MIME bundles
 * (PNG, HTML, text). No Jupyter dependency: the kernel reads these.
 */
package dev.jgen.display;
