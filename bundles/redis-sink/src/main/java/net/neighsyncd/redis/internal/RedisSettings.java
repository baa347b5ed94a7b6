package net.neighsyncd.redis.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.pipeline.Pipelines;

/**
 * The validated configuration of PID {@value #PID}, shared by the APPL_DB sink and the
 * CONFIG_DB switch-modes source.
 *
 * @param namespace            the network namespace whose databases these are, empty for the host's
 * @param databaseConfig       SONiC's {@code database_config.json}, or {@code null}: the one SONiC
 *                             keeps for {@code namespace} (the host's default path, else the one
 *                             {@code databaseGlobalConfig} lists for it)
 * @param databaseGlobalConfig SONiC's {@code database_global.json}, read for a namespace's file
 * @param redisUrl             a Redis URL that wins over the files, or {@code null}
 * @param batchSize            NEIGH_TABLE operations per script call
 * @param connectTimeoutMillis how long a connect may take
 * @param socketTimeoutMillis  how long Redis may take to answer
 * @param pollIntervalMillis   how often CONFIG_DB is read
 */
record RedisSettings(String namespace, Path databaseConfig, Path databaseGlobalConfig, String redisUrl, int batchSize, int connectTimeoutMillis,
        int socketTimeoutMillis, int pollIntervalMillis) {

    static final String PID = "net.neighsyncd.redis";

    static final String NAMESPACE = "namespace";
    static final String DATABASE_CONFIG = "databaseConfig";
    static final String DATABASE_GLOBAL_CONFIG = "databaseGlobalConfig";
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

    static final RedisSettings DEFAULTS = new RedisSettings(Pipelines.HOST, null,
            Path.of(DatabaseGlobalConfig.DEFAULT_PATH), null,
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
        String namespace = Pipelines.HOST;
        Object ns = properties.get(NAMESPACE);
        if (ns != null && !ns.toString().isBlank()) {
            namespace = ns.toString().trim();
            if (!Pipelines.isNamespaceName(namespace)) {
                problems.add(NAMESPACE + "=\"" + namespace + "\" is not a namespace name");
                namespace = Pipelines.HOST;
            }
        }
        Path databaseConfig = path(properties, DATABASE_CONFIG, null, problems);
        Path global = path(properties, DATABASE_GLOBAL_CONFIG, DEFAULTS.databaseGlobalConfig, problems);
        String redisUrl = null;
        Object url = properties.get(REDIS_URL);
        if (url != null && !url.toString().isBlank()) {
            redisUrl = url.toString().trim();
            try {
                DatabaseLocator.fromUrl(redisUrl);
            } catch (IllegalArgumentException e) {
                problems.add(REDIS_URL + " is invalid: " + e.getMessage());
            }
        } else if (databaseConfig != null && java.nio.file.Files.exists(databaseConfig)) {
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
        return new RedisSettings(namespace, databaseConfig, global, redisUrl, batchSize, connectTimeout, socketTimeout,
                pollInterval);
    }

    /** A path key: absent or empty takes {@code defaultValue}. */
    private static Path path(Map<String, ?> properties, String key, Path defaultValue, List<String> problems) {
        Object v = properties.get(key);
        String s = v == null ? "" : v.toString().trim();
        if (s.isEmpty()) {
            return defaultValue;
        }
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            problems.add(key + "=" + s + " is not a path: " + e.getReason());
            return defaultValue;
        }
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
     * Where the databases are: the URL when set, else the {@code database_config.json} given, else
     * the one SONiC keeps for the namespace; files are read now (so one that appears or changes
     * later is seen at the next connect).
     *
     * @throws IllegalArgumentException naming the file, URL or namespace and what is wrong: a
     *         namespace whose file cannot be found never falls back to the host's databases
     */
    DatabaseLayout resolveLayout() {
        if (redisUrl != null) {
            return DatabaseLocator.fromUrl(redisUrl);
        }
        return DatabaseLocator.fromDatabaseConfig(databaseConfigInForce());
    }

    /** The {@code database_config.json} read when no URL is set. */
    Path databaseConfigInForce() {
        if (databaseConfig != null) {
            return databaseConfig;
        }
        if (namespace.isEmpty()) {
            return Path.of(DatabaseLocator.DEFAULT_DATABASE_CONFIG);
        }
        return DatabaseGlobalConfig.databaseConfigOf(databaseGlobalConfig, namespace);
    }

    /** Whether a connection made under {@code this} is still right under {@code other}. */
    boolean sameConnection(RedisSettings other) {
        return namespace.equals(other.namespace) && java.util.Objects.equals(databaseConfig, other.databaseConfig)
                && databaseGlobalConfig.equals(other.databaseGlobalConfig)
                && java.util.Objects.equals(redisUrl, other.redisUrl)
                && connectTimeoutMillis == other.connectTimeoutMillis
                && socketTimeoutMillis == other.socketTimeoutMillis;
    }

    @Override
    public String toString() {
        String where = redisUrl != null ? REDIS_URL + "=" + DatabaseLocator.redact(redisUrl)
                : databaseConfig != null ? DATABASE_CONFIG + "=" + databaseConfig
                : namespace.isEmpty() ? DATABASE_CONFIG + "=" + DatabaseLocator.DEFAULT_DATABASE_CONFIG
                : DATABASE_GLOBAL_CONFIG + "=" + databaseGlobalConfig;
        return NAMESPACE + "=" + Pipelines.display(namespace) + " " + where
                + " " + BATCH_SIZE + "=" + batchSize + " " + CONNECT_TIMEOUT + "=" + connectTimeoutMillis + " "
                + SOCKET_TIMEOUT + "=" + socketTimeoutMillis + " " + POLL_INTERVAL + "=" + pollIntervalMillis;
    }
}
