package net.neighsyncd.api.access;

import java.util.Objects;

/**
 * A client a token admitted.
 *
 * @param name  the token's name, as configured (for logs: never the token)
 * @param scope what it may do
 */
public record Caller(String name, Scope scope) {
    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
    }
}
