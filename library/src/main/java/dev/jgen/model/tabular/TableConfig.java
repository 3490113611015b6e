package dev.jgen.model.tabular;

import java.util.Arrays;
import java.util.Locale;

/**
 * A table model's settings, as a checkpoint keeps them.
 *
 * @param kind    which model: a TVAE, a CTGAN or a Gaussian copula
 * @param latent  noise features (CTGAN) or latent features (TVAE)
 * @param hidden  units of the hidden layers (the TVAE's encoder, mirrored by its decoder; the CTGAN's generator and discriminator)
 * @param modes   the most modes a numeric column's mixture may have
 * @param pac     rows the CTGAN's discriminator judges together (it then sees whether a batch lacks variety)
 * @param klWeight the TVAE's weight on its KL term
 */
public record TableConfig(Kind kind, int latent, int[] hidden, int modes, int pac, double klWeight) {
    /** The three models of a table. */
    public enum Kind {
        TVAE, CTGAN, COPULA;

        String title() {
            return switch (this) {
                case TVAE -> "TVAE";
                case CTGAN -> "CTGAN";
                case COPULA -> "Gaussian copula";
            };
        }
    }

    public TableConfig {
        if (kind == null) {
            throw new IllegalArgumentException("a table model needs a kind: TVAE, CTGAN or COPULA");
        }
        if (latent < 1 || modes < 1 || pac < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "latent (%d), modes (%d) and pac (%d) must each be at least 1", latent, modes, pac));
        }
        if (hidden == null || hidden.length == 0 || Arrays.stream(hidden).anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("hidden needs at least one layer of at least 1 unit, got " + Arrays.toString(hidden));
        }
        if (!(klWeight > 0) || Double.isInfinite(klWeight)) {
            throw new IllegalArgumentException("the KL weight must be a positive number, got " + klWeight);
        }
        hidden = hidden.clone();
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableConfig c && kind == c.kind && latent == c.latent && Arrays.equals(hidden, c.hidden) && modes == c.modes
                && pac == c.pac && klWeight == c.klWeight;
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(hidden) + latent + 7 * modes + 11 * pac;
    }

    @Override
    public String toString() {
        return kind.title() + (kind == Kind.COPULA ? "" : " (latent " + latent + ", hidden " + Arrays.toString(hidden)
                + (kind == Kind.CTGAN ? ", pac " + pac : ", KL weight " + klWeight) + ")") + ", up to " + modes + " modes per numeric column";
    }
}
