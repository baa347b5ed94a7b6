package net.neighsyncd.metrics.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.pipeline.Pipelines;
import net.neighsyncd.api.engine.EngineHealth;
import net.neighsyncd.api.engine.SyncStatus;
import net.neighsyncd.api.health.Problem;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code /health/live} and {@code /health/ready} on the Felix HTTP server (servlet whiteboard,
 * default context, no login): 200 or 503 with a small JSON body.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/health/live",
        "osgi.http.whiteboard.servlet.pattern=/health/ready",
        "osgi.http.whiteboard.servlet.name=neighsyncd-health" })
public final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Problems are written as they are: no HTML escaping of {@code <>&='}. */
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** Every pipeline's engine by its namespace. */
    private final transient Map<SyncEngine, String> engines = new java.util.concurrent.ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedEngine")
    void bindEngine(SyncEngine e, Map<String, Object> props) {
        engines.put(e, Pipelines.namespaceOf(props));
    }

    void updatedEngine(SyncEngine e, Map<String, Object> props) {
        bindEngine(e, props);
    }

    void unbindEngine(SyncEngine e) {
        engines.remove(e);
    }

    /** A response: HTTP status and JSON body. */
    record Answer(int status, String json) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath();
        Map<String, SyncStatus> statuses = new TreeMap<>();
        engines.forEach((e, namespace) -> statuses.put(namespace, e.status()));
        Answer a = "/health/live".equals(path) ? liveOfAll(statuses) : readyOfAll(statuses);
        byte[] body = a.json().getBytes(StandardCharsets.UTF_8);
        response.setStatus(a.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * The answer for every pipeline: the one pipeline's own when there is one (the host's or a
     * single namespace's), else UP only when every pipeline is, each problem named by its
     * namespace.
     */
    static Answer liveOfAll(Map<String, SyncStatus> statuses) {
        return combined(statuses, HealthServlet::live, false);
    }

    /** As {@link #liveOfAll}, for readiness. */
    static Answer readyOfAll(Map<String, SyncStatus> statuses) {
        return combined(statuses, HealthServlet::ready, true);
    }

    private static Answer combined(Map<String, SyncStatus> statuses, java.util.function.Function<SyncStatus, Answer> one,
            boolean readiness) {
        if (statuses.size() <= 1) {
            return one.apply(statuses.isEmpty() ? null : statuses.values().iterator().next());
        }
        // ready: every pipeline; live: any (a failed pipeline ends only itself, docs/behaviour.md)
        boolean up = readiness;
        boolean synced = true;
        boolean degraded = false;
        List<String> problems = new java.util.ArrayList<>();
        for (Map.Entry<String, SyncStatus> e : statuses.entrySet()) {
            Answer a = one.apply(e.getValue());
            up = readiness ? up && a.status() == 200 : up || a.status() == 200;
            JsonObject o = GSON.fromJson(a.json(), JsonObject.class);
            if (o.has("initialSyncDone")) {
                synced &= o.get("initialSyncDone").getAsBoolean();
            }
            if (o.has("degraded")) {
                degraded |= o.get("degraded").getAsBoolean();
            }
            for (var p : o.getAsJsonArray("problems")) {
                problems.add("namespace " + Pipelines.display(e.getKey()) + ": " + p.getAsString());
            }
        }
        return new Answer(up ? 200 : 503, json(up ? "UP" : "DOWN", readiness ? synced : null,
                readiness ? degraded : null, problems));
    }

    /** Alive while the engine exists and has not failed (a failed engine is about to end the process). */
    static Answer live(SyncStatus s) {
        if (s == null) {
            return new Answer(503, json("DOWN", null, null, List.of("no sync engine")));
        }
        EngineHealth h = s.health();
        return h.alive() ? new Answer(200, json("UP", null, null, List.of()))
                : new Answer(503, json("DOWN", null, null, List.of(h.fatalReason())));
    }

    /**
     * Ready once the initial sync is done and no problem stops the daemon from syncing; a degraded
     * one (a rejected configuration value with the last good one in force, an overflow being
     * repaired) is listed and flagged, and the daemon stays ready.
     */
    static Answer ready(SyncStatus s) {
        if (s == null) {
            return new Answer(503, json("DOWN", false, null, List.of("no sync engine")));
        }
        EngineHealth h = s.health();
        List<String> problems = h.problems().stream().map(Problem::toString).toList();
        if (!s.initialSyncDone() && problems.isEmpty()) {
            problems = List.of("initial sync not done");
        }
        boolean ready = h.ready();
        return new Answer(ready ? 200 : 503, json(ready ? "UP" : "DOWN", s.initialSyncDone(), h.degraded(), problems));
    }

    /**
     * {@code {"status":..,"initialSyncDone":..,"degraded":..,"problems":[..]}}, {@code initialSyncDone}
     * and {@code degraded} only when given.
     */
    static String json(String status, Boolean initialSyncDone, Boolean degraded, List<String> problems) {
        JsonObject o = new JsonObject();
        o.addProperty("status", status);
        if (initialSyncDone != null) {
            o.addProperty("initialSyncDone", initialSyncDone);
        }
        if (degraded != null) {
            o.addProperty("degraded", degraded);
        }
        JsonArray list = new JsonArray();
        problems.forEach(list::add);
        o.add("problems", list);
        return GSON.toJson(o);
    }
}
