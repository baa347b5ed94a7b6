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
import net.neighsyncd.api.engine.SyncEngine;
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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SyncEngine engine;

    /** A response: HTTP status and JSON body. */
    record Answer(int status, String json) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath();
        SyncEngine e = engine;
        SyncStatus s = e == null ? null : e.status();
        Answer a = "/health/live".equals(path) ? live(s) : ready(s);
        byte[] body = a.json().getBytes(StandardCharsets.UTF_8);
        response.setStatus(a.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
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
