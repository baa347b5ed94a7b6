package net.neighsyncd.api.access;

import java.util.Locale;

/** What a token may do: read everything, or also act (resync, flight recordings). */
public enum Scope {
    READ,
    ADMIN;

    /** Whether a token of this scope may do what needs {@code needed}. */
    public boolean allows(Scope needed) {
        return this == ADMIN || needed == READ;
    }

    /** The scope {@code name} spells ({@code read}, {@code admin}, any case). */
    public static Scope parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scope '" + name.trim() + "' (read, admin)");
        }
    }

    /** As configured and written: {@code read}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
