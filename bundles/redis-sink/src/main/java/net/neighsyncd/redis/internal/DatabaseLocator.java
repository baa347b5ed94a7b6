package net.neighsyncd.redis.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Finds the SONiC databases from SONiC's {@code database_config.json} or from a Redis URL.
 * Every failure is an {@link IllegalArgumentException} whose message names the input and what
 * is wrong with it.
 */
final class DatabaseLocator {
    /** Where SONiC keeps the file of the default namespace. */
    static final String DEFAULT_DATABASE_CONFIG = "/var/run/redis/sonic-db/database_config.json";

    private static final int DEFAULT_REDIS_PORT = 6379;

    private DatabaseLocator() {
    }

    /**
     * The layout named by a {@code database_config.json}. An instance with a
     * {@code unix_socket_path} is reached over that socket only, as SONiC's own daemons reach it:
     * never over its TCP address instead, which seen from the daemon's namespace may be another
     * namespace's Redis. A socket that is not there makes the connect fail, naming it.
     */
    static DatabaseLayout fromDatabaseConfig(Path file) {
        String what = "database_config.json " + file;
        JsonObject root = readObject(file, what);
        JsonObject instances = object(root, "INSTANCES", what);
        JsonObject databases = object(root, "DATABASES", what);
        RedisDatabase appl = database(databases, instances, "APPL_DB", ":", what);
        RedisDatabase config = database(databases, instances, "CONFIG_DB", "|", what);
        RedisDatabase state = database(databases, instances, "STATE_DB", "|", what);
        return new DatabaseLayout(appl, config, state, file.toString());
    }

    /**
     * The JSON object in {@code file}; {@code what} names it in the message of the
     * {@link IllegalArgumentException} thrown when it is missing, unreadable or no object.
     */
    static JsonObject readObject(Path file, String what) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": cannot be read: " + e.getMessage(), e);
        }
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(what + ": not a JSON object: " + e.getMessage(), e);
        }
        if (!parsed.isJsonObject()) {
            throw new IllegalArgumentException(what + ": not a JSON object: " + kind(parsed));
        }
        return parsed.getAsJsonObject();
    }

    private static String kind(JsonElement e) {
        if (e.isJsonArray()) {
            return "an array";
        }
        return e.isJsonNull() ? "empty or null" : "a single value";
    }

    private static JsonObject object(JsonObject parent, String name, String what) {
        JsonElement o = parent.get(name);
        if (o == null) {
            throw new IllegalArgumentException(what + ": has no " + name);
        }
        if (!o.isJsonObject()) {
            throw new IllegalArgumentException(what + ": " + name + " is not an object");
        }
        return o.getAsJsonObject();
    }

    /** The text of a JSON string, or null when {@code e} is absent or anything else. */
    private static String string(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    private static RedisDatabase database(JsonObject databases, JsonObject instances, String name,
            String defaultSeparator, String what) {
        JsonObject db = object(databases, name, what + ": DATABASES");
        String where = what + ": DATABASES." + name;
        int id = integer(db.get("id"), where + ".id", 0, Integer.MAX_VALUE);
        String separator = defaultSeparator;
        JsonElement sep = db.get("separator");
        if (sep != null) {
            separator = string(sep);
            if (separator == null || separator.isEmpty()) {
                throw new IllegalArgumentException(where + ".separator is not a non-empty string: " + sep);
            }
        }
        String instanceName = string(db.get("instance"));
        if (instanceName == null || instanceName.isEmpty()) {
            throw new IllegalArgumentException(where + ".instance is missing or not a string");
        }
        JsonElement inst = instances.get(instanceName);
        if (inst == null || !inst.isJsonObject()) {
            throw new IllegalArgumentException(
                    where + ".instance names \"" + instanceName + "\", which INSTANCES does not define");
        }
        RedisEndpoint endpoint = endpoint(inst.getAsJsonObject(), what + ": INSTANCES." + instanceName);
        return new RedisDatabase(name, endpoint, id, separator);
    }

    private static RedisEndpoint endpoint(JsonObject instance, String where) {
        JsonElement socket = instance.get("unix_socket_path");
        String socketText = string(socket);
        if (socketText != null && !socketText.isEmpty()) {
            return RedisEndpoint.unix(Path.of(socketText));
        } else if (socket != null && socketText == null) {
            throw new IllegalArgumentException(where + ".unix_socket_path is not a string");
        }
        String host = string(instance.get("hostname"));
        JsonElement port = instance.get("port");
        if (host == null || host.isEmpty() || port == null) {
            throw new IllegalArgumentException(where + " has neither unix_socket_path nor hostname and port");
        }
        return RedisEndpoint.tcp(host, integer(port, where + ".port", 1, 65535));
    }

    /** A JSON integer, or a string holding one (SONiC's files have both). */
    private static int integer(JsonElement value, String where, int min, int max) {
        if (value == null) {
            throw new IllegalArgumentException(where + " is missing");
        }
        JsonPrimitive p = value.isJsonPrimitive() ? value.getAsJsonPrimitive() : null;
        if (p == null || !(p.isNumber() || p.isString())) {
            throw new IllegalArgumentException(where + " is not an integer: " + value);
        }
        long v;
        try {
            v = Long.parseLong(p.isString() ? p.getAsString().trim() : p.getAsString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " is not an integer: "
                    + (p.isString() ? "\"" + p.getAsString() + "\"" : p.getAsString()));
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(where + " is out of range " + min + ".." + max + ": " + v);
        }
        return (int) v;
    }

    /**
     * The layout of one Redis server named by a URL: {@code redis://[[user]:password@]host[:port][/db]}
     * or {@code unix:///path/to/redis.sock[?db=N]}. The database number (default 0) is APPL_DB;
     * CONFIG_DB and STATE_DB are 4 and 6 on the same server, SONiC's defaults.
     */
    static DatabaseLayout fromUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Redis URL is empty");
        }
        String text = url.trim();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Redis URL " + redact(text) + " is not a valid URI: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException(
                    "Redis URL " + redact(text) + " has no scheme: use redis://host:port/db or unix:///path/redis.sock?db=N");
        }
        switch (scheme.toLowerCase(java.util.Locale.ROOT)) {
            case "redis":
                return fromTcpUrl(uri, redact(text));
            case "unix":
                return fromUnixUrl(uri, redact(text));
            case "rediss":
                throw new IllegalArgumentException("Redis URL " + redact(text) + ": TLS (rediss) is not supported");
            default:
                throw new IllegalArgumentException("Redis URL " + redact(text) + ": unknown scheme \"" + scheme
                        + "\", use redis:// or unix://");
        }
    }

    private static DatabaseLayout fromTcpUrl(URI uri, String shown) {
        if (uri.isOpaque()) {
            throw new IllegalArgumentException("Redis URL " + shown + ": expected redis://host:port/db");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("Redis URL " + shown + " has no valid host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() == -1 ? DEFAULT_REDIS_PORT : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Redis URL " + shown + ": port out of range 1..65535: " + port);
        }
        int db = DatabaseLayout.DEFAULT_APPL_DB;
        String path = uri.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            db = dbNumber(path.substring(1), shown);
        }
        Integer queryDb = queryDb(uri, shown);
        if (queryDb != null) {
            if (path != null && path.length() > 1 && queryDb != db) {
                throw new IllegalArgumentException("Redis URL " + shown + " names two databases: " + db + " and " + queryDb);
            }
            db = queryDb;
        }
        RedisEndpoint endpoint = withUserInfo(RedisEndpoint.tcp(host, port), uri.getRawUserInfo(), shown);
        return DatabaseLayout.singleServer(endpoint, db, shown);
    }

    private static DatabaseLayout fromUnixUrl(URI uri, String shown) {
        if (uri.isOpaque()) {
            throw new IllegalArgumentException("Redis URL " + shown + ": expected unix:///absolute/path/redis.sock");
        }
        if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
            throw new IllegalArgumentException("Redis URL " + shown + ": a unix URL has no host; use three slashes: "
                    + "unix:///absolute/path/redis.sock");
        }
        String path = uri.getPath();
        if (path == null || path.isEmpty() || !path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("Redis URL " + shown + " has no absolute socket path");
        }
        Integer db = queryDb(uri, shown);
        return DatabaseLayout.singleServer(RedisEndpoint.unix(Path.of(path)),
                db == null ? DatabaseLayout.DEFAULT_APPL_DB : db, shown);
    }

    private static Integer queryDb(URI uri, String shown) {
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return null;
        }
        Integer db = null;
        for (String param : query.split("&")) {
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("db")) {
                db = dbNumber(value, shown);
            } else {
                throw new IllegalArgumentException("Redis URL " + shown + ": unknown parameter \"" + name
                        + "\" (only db is known)");
            }
        }
        return db;
    }

    private static int dbNumber(String text, String shown) {
        try {
            int db = Integer.parseInt(text);
            if (db >= 0) {
                return db;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Redis URL " + shown + ": database \"" + text
                + "\" is not a number >= 0");
    }

    private static RedisEndpoint withUserInfo(RedisEndpoint endpoint, String rawUserInfo, String shown) {
        if (rawUserInfo == null || rawUserInfo.isEmpty()) {
            return endpoint;
        }
        int colon = rawUserInfo.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("Redis URL " + shown
                    + ": credentials must be written [user]:password@, with the colon");
        }
        String user = decode(rawUserInfo.substring(0, colon));
        String password = decode(rawUserInfo.substring(colon + 1));
        return endpoint.withCredentials(user.isEmpty() ? null : user, password.isEmpty() ? null : password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URL with any password replaced, for messages and logs. */
    static String redact(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int start = scheme + 3;
        int end = url.indexOf('/', start);
        String authority = end < 0 ? url.substring(start) : url.substring(start, end);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        String userInfo = authority.substring(0, at);
        int colon = userInfo.indexOf(':');
        String shownUser = colon < 0 ? "" : userInfo.substring(0, colon);
        return url.substring(0, start) + shownUser + ":***" + authority.substring(at) + (end < 0 ? "" : url.substring(end));
    }
}
