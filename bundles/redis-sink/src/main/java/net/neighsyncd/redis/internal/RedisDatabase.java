package net.neighsyncd.redis.internal;

import java.util.Objects;

/**
 * One SONiC database: a numbered Redis database on an endpoint, and the separator between a
 * table name and a key in it.
 *
 * @param name      the SONiC name, e.g. {@code APPL_DB}
 * @param endpoint  the server
 * @param id        the Redis database number
 * @param separator the table/key separator: {@code :} in APPL_DB, {@code |} in CONFIG_DB and STATE_DB
 */
record RedisDatabase(String name, RedisEndpoint endpoint, int id, String separator) {
    RedisDatabase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(separator, "separator");
        if (id < 0) {
            throw new IllegalArgumentException(name + ": negative database id " + id);
        }
        if (separator.isEmpty()) {
            throw new IllegalArgumentException(name + ": empty separator");
        }
    }

    @Override
    public String toString() {
        return name + " (db " + id + " at " + endpoint + ")";
    }
}
