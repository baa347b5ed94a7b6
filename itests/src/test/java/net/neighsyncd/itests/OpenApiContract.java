package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.json.JSONObject;

/**
 * The REST API's OpenAPI 3.1 document as the tests' contract: every response a test receives is
 * checked against it — its path, method, status and media type documented, and its body valid
 * against the documented schema (JSON Schema 2020-12, OpenAPI 3.1's dialect). An event stream's
 * events are checked against the schema of their name.
 */
final class OpenApiContract {
    /** The checked-in document, as the rest bundle serves it. */
    static final Path DOCUMENT = Path.of("../bundles/rest/src/main/resources/net/neighsyncd/rest/internal/openapi.json");
    private static final String BASE = "/api/v1";
    private static final Map<String, String> EVENT_SCHEMAS = Map.of("snapshot", "SnapshotEvent", "change",
            "ChangeEvent", "reset", "ResetEvent");

    private final String text;
    private final JSONObject doc;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private int checked;

    OpenApiContract() throws IOException {
        text = Files.readString(DOCUMENT);
        doc = new JSONObject(text);
    }

    String text() {
        return text;
    }

    int checked() {
        return checked;
    }

    /** Fails unless the document describes {@code response} to {@code method} and its body fits. */
    void check(String method, HttpResponse<?> response) {
        URI uri = response.request().uri();
        String path = uri.getPath();
        assertTrue(path.startsWith(BASE + "/"), path);
        String template = template(path.substring(BASE.length()));
        if (template == null) {
            // an undocumented path: the API answers it with a problem document, before or after the token check
            assertTrue(response.statusCode() >= 400, path + " answered " + response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                    path + " answered " + response.headers());
            valid("/components/schemas/Problem", text(response), method + " " + path);
            checked++;
            return;
        }
        String op = method.toLowerCase(Locale.ROOT);
        JSONObject operation = doc.getJSONObject("paths").getJSONObject(template).optJSONObject(op);
        assertNotNull(operation, method + " " + template + " is not in openapi.json");
        String status = Integer.toString(response.statusCode());
        String responsePointer = "/paths/" + escape(template) + "/" + op + "/responses/" + status;
        JSONObject described = operation.getJSONObject("responses").optJSONObject(status);
        assertNotNull(described, method + " " + template + " answered " + status + ", which openapi.json does not list: "
                + text(response));
        if (described.has("$ref")) {
            responsePointer = described.getString("$ref").substring(1);
            described = (JSONObject) doc.query(responsePointer);
        }
        String mediaType = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        JSONObject content = described.optJSONObject("content");
        assertTrue(content != null && content.has(mediaType), method + " " + template + " " + status + " answered "
                + mediaType + ", which openapi.json does not list");
        if (mediaType.endsWith("json")) {
            valid(responsePointer + "/content/" + escape(mediaType) + "/schema", text(response),
                    method + " " + path + " " + status);
        }
        checked++;
    }

    /** The body as text: as it came, or a byte body decoded as UTF-8 (JSON's encoding). */
    private static String text(HttpResponse<?> response) {
        return response.body() instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(response.body());
    }

    /** Fails unless {@code data} fits the schema of events named {@code name}. */
    void checkEvent(String name, JSONObject data) {
        String schema = EVENT_SCHEMAS.get(name);
        assertNotNull(schema, "an event named " + name + " is not documented");
        valid("/components/schemas/" + schema, data.toString(), "event " + name);
        checked++;
    }

    private void valid(String pointer, String body, String what) {
        Schema schema = schemas.computeIfAbsent(pointer, p -> {
            JSONObject wrapper = new JSONObject(text);
            wrapper.put("$ref", "#" + p);
            return registry.getSchema(wrapper.toString(), InputFormat.JSON);
        });
        List<Error> errors = schema.validate(body, InputFormat.JSON);
        assertTrue(errors.isEmpty(), what + " does not fit openapi.json (" + pointer + "): " + errors + "\n"
                + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body));
    }

    /** The documented path template {@code path} is an instance of; null when none. */
    private String template(String path) {
        for (String t : doc.getJSONObject("paths").keySet()) {
            if (path.matches(t.replaceAll("\\{[^}]+\\}", "[^/]+"))) {
                return t;
            }
        }
        return null;
    }

    private static String escape(String pointerPart) {
        return pointerPart.replace("~", "~0").replace("/", "~1");
    }
}
