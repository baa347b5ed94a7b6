package net.neighsyncd.access.internal;

import java.util.Optional;
import java.util.Set;
import net.neighsyncd.api.access.ApiAccess;
import net.neighsyncd.api.access.Caller;
import net.neighsyncd.api.health.HealthContributor;
import net.neighsyncd.api.health.Problem;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API tokens (PID {@value ApiAccess#PID}): the one {@link ApiAccess} of the HTTP and gRPC APIs.
 * A configuration that cannot be read admits no token until a readable one comes, and is reported
 * as a health problem; an empty one admits none either, and the log says how to create a token.
 */
@Component(service = {ApiAccess.class, HealthContributor.class}, configurationPid = ApiAccess.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TokenAccess.Config.class)
public final class TokenAccess implements ApiAccess, HealthContributor {
    private static final Logger LOG = LoggerFactory.getLogger(TokenAccess.class);

    @ObjectClassDefinition(name = "neighsyncd API tokens", description = "The bearer tokens the HTTP API "
            + "(/api/v1) and the gRPC API accept.")
    public @interface Config {
        @AttributeDefinition(name = "Tokens", description = "Bearer tokens accepted, comma-separated "
                + "name:scope:sha256-hex entries (scope read or admin; the SHA-256 of the token in hex, never the "
                + "token). bin/neighsyncd --new-api-token NAME:SCOPE prints a token and its entry. Empty: every "
                + "request but health is refused.", required = false)
        String tokens() default "";
    }

    private volatile ApiTokens tokens = ApiTokens.NONE;
    private volatile String rejected;

    @Activate
    @Modified
    void configure(Config config) {
        try {
            tokens = ApiTokens.parse(config.tokens());
        } catch (IllegalArgumentException e) {
            // fail closed: an edit that removes a leaked token and has a typo must not keep it valid
            tokens = ApiTokens.NONE;
            rejected = e.getMessage();
            LOG.error("configuration {} rejected: until its tokens can be read, no API token is accepted: {}",
                    PID, rejected);
            return;
        }
        rejected = null;
        if (tokens.isEmpty()) {
            LOG.warn("no API token configured: the HTTP and gRPC APIs refuse every request but health. Create one "
                    + "with bin/neighsyncd --new-api-token NAME:read (or NAME:admin) and add the entry it prints to "
                    + "tokens in etc/{}.cfg", PID);
        } else {
            LOG.info("API tokens: {} configured", tokens.size());
        }
    }

    @Override
    public Optional<Caller> recognise(String bearerToken) {
        return tokens.recognise(bearerToken);
    }

    @Override
    public boolean anyToken() {
        return !tokens.isEmpty();
    }

    @Override
    public Set<Problem> problems() {
        String why = rejected;
        return why == null ? Set.of()
                : Set.of(Problem.degraded(PID, "configuration rejected, no API token is accepted until it can be "
                        + "read: " + why));
    }
}
