package dev.jgen.display;

import dev.jgen.Internal;

/**
 * Something that knows how it looks in a notebook. The kernel turns the result into a Jupyter MIME
 * bundle; outside Jupyter, {@code toString()} stays the plain-text view.
 */
public interface Renderable {
    @Internal
    Rendered render();
}
