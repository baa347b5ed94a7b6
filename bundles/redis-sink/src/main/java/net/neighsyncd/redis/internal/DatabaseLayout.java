package net.neighsyncd.redis.internal;

import java.util.Objects;

/**
 * The SONiC databases this bundle uses and where they are.
 *
 * @param appl   APPL_DB, where the {@code NEIGH_TABLE} producer writes
 * @param config CONFIG_DB, read for the switch modes
 * @param state  STATE_DB
 * @param source where the layout came from (a file or a URL without credentials), for logs
 */
record DatabaseLayout(RedisDatabase appl, RedisDatabase config, RedisDatabase state, String source) {
    static final int DEFAULT_APPL_DB = 0;
    static final int DEFAULT_CONFIG_DB = 4;
    static final int DEFAULT_STATE_DB = 6;

    DatabaseLayout {
        Objects.requireNonNull(appl, "appl");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(source, "source");
    }

    /** One server holding APPL_DB at {@code applDb}, CONFIG_DB and STATE_DB at SONiC's default numbers. */
    static DatabaseLayout singleServer(RedisEndpoint endpoint, int applDb, String source) {
        return new DatabaseLayout(
                new RedisDatabase("APPL_DB", endpoint, applDb, ":"),
                new RedisDatabase("CONFIG_DB", endpoint, DEFAULT_CONFIG_DB, "|"),
                new RedisDatabase("STATE_DB", endpoint, DEFAULT_STATE_DB, "|"),
                source);
    }
}
