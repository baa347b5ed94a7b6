package net.neighsyncd.redis.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The validated configuration of PID {@value #PID}, shared by the APPL_DB sink and the
 * CONFIG_DB switch-modes source.
 *
 * @param databaseConfig       SONiC's {@code database_config.json}
 * @param redisUrl             a Redis URL that wins over the file, or {@code null}
 * @param batchSize            NEIGH_TABLE operations per script call
 * @param connectTimeoutMillis how long a connect may take
 * @param socketTimeoutMillis  how long Redis may take to answer
 * @param pollIntervalMillis   how often CONFIG_DB is read
 */
record RedisSettings(Path databaseConfig, String redisUrl, int batchSize, int connectTimeoutMillis,
        int socketTimeoutMillis, int pollIntervalMillis) {

    static final String PID = "net.neighsyncd.redis";

    static final String DATABASE_CONFIG = "databaseConfig";
    static final String REDIS_URL = "redisUrl";
    static final String BATCH_SIZE = "batchSize";
    static final String CONNECT_TIMEOUT = "connectTimeoutMillis";
    static final String SOCKET_TIMEOUT = "socketTimeoutMillis";
    static final String POLL_INTERVAL = "pollIntervalMillis";

    static final int DEFAULT_BATCH_SIZE = 512;
    static final int MIN_BATCH_SIZE = 1;
    static final int MAX_BATCH_SIZE = 10_000;
    static final int DEFAULT_CONNECT_TIMEOUT = 2_000;
    static final int MIN_CONNECT_TIMEOUT = 10;
    static final int MAX_CONNECT_TIMEOUT = 60_000;
    static final int DEFAULT_SOCKET_TIMEOUT = 5_000;
    static final int MIN_SOCKET_TIMEOUT = 100;
    static final int MAX_SOCKET_TIMEOUT = 600_000;
    static final int DEFAULT_POLL_INTERVAL = 1_000;
    static final int MIN_POLL_INTERVAL = 100;
    static final int MAX_POLL_INTERVAL = 60_000;

    static final RedisSettings DEFAULTS = new RedisSettings(Path.of(DatabaseLocator.DEFAULT_DATABASE_CONFIG), null,
            DEFAULT_BATCH_SIZE, DEFAULT_CONNECT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT, DEFAULT_POLL_INTERVAL);

    /** A configuration that names no valid one; the message names the PID, every bad key and why. */
    static final class InvalidConfigurationException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidConfigurationException(String message) {
            super(message);
        }
    }

    /**
     * Validates Configuration Admin properties like {@link #from}; a rejection is logged once
     * (see {@link RejectionLog}) and answered with {@code null}, so the caller keeps its last good settings.
     */
    static RedisSettings fromOrLog(Map<String, ?> properties, org.slf4j.Logger log) {
        try {
            RedisSettings s = from(properties);
            RejectionLog.accepted();
            return s;
        } catch (InvalidConfigurationException e) {
            RejectionLog.rejected(log, e.getMessage());
            return null;
        }
    }

    /**
     * Validates Configuration Admin properties; absent keys, and an empty {@code databaseConfig},
     * take their defaults.
     *
     * @throws InvalidConfigurationException naming the PID, each invalid key and the reason
     */
    static RedisSettings from(Map<String, ?> properties) throws InvalidConfigurationException {
        List<String> problems = new ArrayList<>();
        Path databaseConfig = DEFAULTS.databaseConfig;
        Object file = properties.get(DATABASE_CONFIG);
        if (file != null) {
            String s = file.toString().trim();
            if (!s.isEmpty()) {
                try {
                    databaseConfig = Path.of(s);
                } catch (InvalidPathException e) {
                    problems.add(DATABASE_CONFIG + "=" + s + " is not a path: " + e.getReason());
                }
            }
        }
        String redisUrl = null;
        Object url = properties.get(REDIS_URL);
        if (url != null && !url.toString().isBlank()) {
            redisUrl = url.toString().trim();
            try {
                DatabaseLocator.fromUrl(redisUrl);
            } catch (IllegalArgumentException e) {
                problems.add(REDIS_URL + " is invalid: " + e.getMessage());
            }
        } else if (java.nio.file.Files.exists(databaseConfig)) {
            // a file that is there but cannot be used is a configuration error; one that is not
            // there yet may still appear (SONiC's database service writes it) and is retried
            try {
                DatabaseLocator.fromDatabaseConfig(databaseConfig);
            } catch (IllegalArgumentException e) {
                problems.add(DATABASE_CONFIG + "=" + databaseConfig + " cannot be used: " + e.getMessage());
            }
        }
        int batchSize = integer(properties, BATCH_SIZE, DEFAULT_BATCH_SIZE, MIN_BATCH_SIZE, MAX_BATCH_SIZE, "", problems);
        int connectTimeout = integer(properties, CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, MIN_CONNECT_TIMEOUT,
                MAX_CONNECT_TIMEOUT, " ms", problems);
        int socketTimeout = integer(properties, SOCKET_TIMEOUT, DEFAULT_SOCKET_TIMEOUT, MIN_SOCKET_TIMEOUT,
                MAX_SOCKET_TIMEOUT, " ms", problems);
        int pollInterval = integer(properties, POLL_INTERVAL, DEFAULT_POLL_INTERVAL, MIN_POLL_INTERVAL,
                MAX_POLL_INTERVAL, " ms", problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException("configuration " + PID + " rejected: " + String.join("; ", problems));
        }
        return new RedisSettings(databaseConfig, redisUrl, batchSize, connectTimeout, socketTimeout, pollInterval);
    }

    private static int integer(Map<String, ?> properties, String key, int defaultValue, int min, int max,
            String unit, List<String> problems) {
        Object v = properties.get(key);
        if (v == null) {
            return defaultValue;
        }
        long value;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            value = ((Number) v).longValue();
        } else if (v instanceof String) {
            try {
                value = Long.parseLong(((String) v).trim());
            } catch (NumberFormatException e) {
                problems.add(key + "=\"" + v + "\" is not an integer");
                return defaultValue;
            }
        } else {
            problems.add(key + "=" + v + " is not an integer (" + v.getClass().getSimpleName() + ")");
            return defaultValue;
        }
        if (value < min || value > max) {
            problems.add(key + "=" + value + " is out of range " + min + ".." + max + unit);
            return defaultValue;
        }
        return (int) value;
    }

    /**
     * Where the databases are: the URL when set, else the file, read now (so a file that
     * appears or changes later is seen at the next connect).
     *
     * @throws IllegalArgumentException naming the file or URL and what is wrong with it
     */
    DatabaseLayout resolveLayout() {
        if (redisUrl != null) {
            return DatabaseLocator.fromUrl(redisUrl);
        }
        return DatabaseLocator.fromDatabaseConfig(databaseConfig);
    }

    /** Whether a connection made under {@code this} is still right under {@code other}. */
    boolean sameConnection(RedisSettings other) {
        return databaseConfig.equals(other.databaseConfig) && java.util.Objects.equals(redisUrl, other.redisUrl)
                && connectTimeoutMillis == other.connectTimeoutMillis
                && socketTimeoutMillis == other.socketTimeoutMillis;
    }

    @Override
    public String toString() {
        return (redisUrl != null ? REDIS_URL + "=" + DatabaseLocator.redact(redisUrl) : DATABASE_CONFIG + "=" + databaseConfig)
                + " " + BATCH_SIZE + "=" + batchSize + " " + CONNECT_TIMEOUT + "=" + connectTimeoutMillis + " "
                + SOCKET_TIMEOUT + "=" + socketTimeoutMillis + " " + POLL_INTERVAL + "=" + pollIntervalMillis;
    }
}
