package net.neighsyncd.redis.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SONiC's {@code database_global.json} of a multi-ASIC switch: its {@code INCLUDES} name one
 * {@code database_config.json} per namespace (the host's has no {@code namespace}), each path
 * relative to the folder of the global file, as SONiC's own database library reads them.
 * Entries of a {@code container_name} (a DPU's databases) are not a namespace's and are skipped.
 */
final class DatabaseGlobalConfig {
    /** Where SONiC keeps it. */
    static final String DEFAULT_PATH = "/var/run/redis/sonic-db/database_global.json";

    private DatabaseGlobalConfig() {
    }

    /**
     * The {@code database_config.json} of every namespace {@code file} lists, in its order, the
     * host's under the empty name.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static Map<String, Path> namespaces(Path file) {
        String what = "database_global.json " + file;
        JsonObject root = DatabaseLocator.readObject(file, what);
        JsonElement includes = root.get("INCLUDES");
        if (includes == null || !includes.isJsonArray()) {
            throw new IllegalArgumentException(what + ": has no INCLUDES list");
        }
        Path folder = file.toAbsolutePath().getParent();
        Map<String, Path> out = new LinkedHashMap<>();
        int index = 0;
        for (JsonElement e : includes.getAsJsonArray()) {
            String where = what + ": INCLUDES[" + index++ + "]";
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException(where + " is not an object");
            }
            JsonObject entry = e.getAsJsonObject();
            if (!text(entry, "container_name", where).isEmpty()) {
                continue;
            }
            String include = text(entry, "include", where);
            if (include.isEmpty()) {
                throw new IllegalArgumentException(where + " has no include");
            }
            Path config;
            try {
                config = folder.resolve(include).normalize();
            } catch (InvalidPathException ex) {
                throw new IllegalArgumentException(where + ".include is not a path: " + include);
            }
            out.putIfAbsent(text(entry, "namespace", where), config);
        }
        return out;
    }

    /**
     * The {@code database_config.json} of {@code namespace} as {@code file} names it.
     *
     * @throws IllegalArgumentException naming the namespace and the file when the file cannot be
     *         read or does not list the namespace: never another namespace's databases instead
     */
    static Path databaseConfigOf(Path file, String namespace) {
        Map<String, Path> all;
        try {
            all = namespaces(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the databases of namespace " + namespace + " are not known: "
                    + e.getMessage() + " (or set databaseConfig or redisUrl for that namespace)", e);
        }
        Path config = all.get(namespace);
        if (config == null) {
            throw new IllegalArgumentException("namespace " + namespace + " is not listed in database_global.json "
                    + file + " (it lists " + listed(all) + "); set databaseConfig or redisUrl for that namespace");
        }
        return config;
    }

    private static String listed(Map<String, Path> all) {
        return all.isEmpty() ? "none" : String.join(", ", all.keySet().stream().map(n -> n.isEmpty() ? "the host" : n).toList());
    }

    private static String text(JsonObject entry, String name, String where) {
        JsonElement v = entry.get(name);
        if (v == null || v.isJsonNull()) {
            return "";
        }
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(where + "." + name + " is not a string");
        }
        return v.getAsString();
    }
}
