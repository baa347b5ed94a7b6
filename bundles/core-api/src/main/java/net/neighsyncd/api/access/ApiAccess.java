package net.neighsyncd.api.access;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The bearer tokens the APIs accept. A configuration that cannot be read admits no token (fail
 * closed: an edit that removes a leaked token and has a typo must not keep it valid).
 */
@ProviderType
public interface ApiAccess {

    /** The configuration PID the tokens are set in, for the messages that say how to admit a client. */
    String PID = "net.neighsyncd.access";

    /** Who {@code bearerToken} is, when it is a configured token. Constant time in the token. */
    Optional<Caller> recognise(String bearerToken);

    /** Whether any token is configured (none: every request but health is refused). */
    boolean anyToken();
}
