package net.neighsyncd.itests;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.json.JSONArray;
import org.json.JSONObject;

/** The HTTP API (/api/v1) as an {@link ApiTransport}: a real HTTP client, its event stream as the watch. */
final class RestTransport implements ApiTransport {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    RestTransport(int httpPort) {
        this.base = "http://127.0.0.1:" + httpPort + "/api/v1/";
    }

    @Override
    public String name() {
        return "HTTP";
    }

    private JSONObject call(String method, String path, String token, String body) throws Refused {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new Refused(Failure.OTHER, e.toString());
        }
        if (r.statusCode() >= 400) {
            throw new Refused(failure(r.statusCode()), r.body());
        }
        return new JSONObject(r.body());
    }

    static Failure failure(int status) {
        return switch (status) {
            case 400 -> Failure.INVALID;
            case 401 -> Failure.UNAUTHENTICATED;
            case 403 -> Failure.FORBIDDEN;
            case 404 -> Failure.NOT_FOUND;
            case 413, 429 -> Failure.EXHAUSTED;
            case 503 -> Failure.UNAVAILABLE;
            default -> Failure.OTHER;
        };
    }

    private static String query(Map<String, String> params) {
        StringJoiner q = new StringJoiner("&");
        params.forEach((k, v) -> q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return q.toString();
    }

    static Entry entry(JSONObject n) {
        return new Entry(n.getString("key"), n.optString("mac", null), n.optString("vrf", null),
                n.optString("state", null));
    }

    private static List<Entry> entries(JSONArray a) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < a.length(); i++) {
            out.add(entry(a.getJSONObject(i)));
        }
        return out;
    }

    @Override
    public Page list(String token, Map<String, String> filter, int pageSize, String pageToken) throws Refused {
        Map<String, String> params = new java.util.LinkedHashMap<>(filter);
        if (pageSize > 0) {
            params.put("limit", Integer.toString(pageSize));
        }
        if (pageToken != null) {
            params.put("cursor", pageToken);
        }
        JSONObject page = call("GET", "neighbors?" + query(params), token, null);
        return new Page(page.getString("history"), page.getLong("revision"), entries(page.getJSONArray("items")),
                page.optString("next", null));
    }

    @Override
    public String verdict(String token, String ifname, String ip) throws Refused {
        return call("GET", "neighbors/" + URLEncoder.encode(ifname, StandardCharsets.UTF_8) + "/"
                + URLEncoder.encode(ip, StandardCharsets.UTF_8), token, null).getJSONObject("verdict")
                .getString("disposition");
    }

    @Override
    public String phase(String token, String namespace) throws Refused {
        return call("GET", "status" + (namespace.isEmpty() ? "" : "?namespace=" + URLEncoder.encode(namespace,
                StandardCharsets.UTF_8)), token, null).getString("phase");
    }

    @Override
    public long resync(String token, String reason) throws Refused {
        return call("POST", "resync", token, new JSONObject().put("reason", reason).toString()).getLong("id");
    }

    @Override
    public Watch watch(String token, Map<String, String> filter, String history, long revision) throws Refused {
        SseClient sse;
        try {
            sse = SseClient.open(http, base + "events" + (filter.isEmpty() ? "" : "?" + query(filter)), token,
                    history == null ? null : history + ":" + revision);
        } catch (Exception e) {
            throw new Refused(Failure.OTHER, e.toString());
        }
        if (sse.status() != 200) {
            Failure f = failure(sse.status());
            String body = sse.errorBody();
            try {
                sse.close();
            } catch (java.io.IOException e) {
                // refused anyway
            }
            throw new Refused(f, body);
        }
        return new Watch() {
            @Override
            public Event next(Duration timeout) throws Exception {
                SseClient.Event e = sse.next(timeout);
                JSONObject d = e.data();
                return switch (e.name()) {
                    case "snapshot" -> new Event(Event.Kind.SNAPSHOT, d.getString("history"), d.getLong("revision"),
                            entries(d.getJSONArray("neighbors")), d.getBoolean("last"), false, null, null);
                    case "change" -> new Event(Event.Kind.CHANGE, null, d.getLong("revision"), List.of(), false,
                            d.getString("op").equals("delete"), entry(d.getJSONObject("neighbor")), null);
                    case "reset" -> new Event(Event.Kind.RESET, d.getString("history"), d.getLong("revision"),
                            List.of(), false, false, null, d.getString("reason"));
                    default -> throw new AssertionError("unknown event " + e.name());
                };
            }

            @Override
            public void close() throws Exception {
                sse.close();
            }
        };
    }

    @Override
    public void close() {
        // the JDK's client holds nothing to release
    }
}
