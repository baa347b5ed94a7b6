package net.neighsyncd.rest.internal;

import java.util.Locale;

/** What a token may do: read everything, or also act (resync). */
enum Scope {
    READ,
    ADMIN;

    boolean allows(Scope needed) {
        return this == ADMIN || needed == READ;
    }

    /** The scope {@code name} spells ({@code read}, {@code admin}, any case). */
    static Scope parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scope '" + name.trim() + "' (read, admin)");
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
