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
import java.util.TreeSet;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.engine.SyncStatus;
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

    /** The engine's problem when a warm restart failed: the process is about to exit. */
    static final String WARM_RESTART_FAILED = "warm restart failed";

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

    /** Alive while the engine exists and no warm restart failed. */
    static Answer live(SyncStatus s) {
        if (s == null) {
            return new Answer(503, json("DOWN", null, List.of("no sync engine")));
        }
        List<String> fatal = s.problems().stream().filter(p -> p.startsWith(WARM_RESTART_FAILED)).sorted().toList();
        return fatal.isEmpty() ? new Answer(200, json("UP", null, List.of()))
                : new Answer(503, json("DOWN", null, fatal));
    }

    /** Ready once the initial sync is done and the engine reports no problem. */
    static Answer ready(SyncStatus s) {
        if (s == null) {
            return new Answer(503, json("DOWN", false, List.of("no sync engine")));
        }
        List<String> problems = List.copyOf(new TreeSet<>(s.problems()));
        boolean ready = s.initialSyncDone() && s.healthy();
        if (!s.initialSyncDone() && problems.isEmpty()) {
            problems = List.of("initial sync not done");
        }
        return new Answer(ready ? 200 : 503, json(ready ? "UP" : "DOWN", s.initialSyncDone(), problems));
    }

    /** {@code {"status":..,"initialSyncDone":..,"problems":[..]}}, {@code initialSyncDone} only when given. */
    static String json(String status, Boolean initialSyncDone, List<String> problems) {
        JsonObject o = new JsonObject();
        o.addProperty("status", status);
        if (initialSyncDone != null) {
            o.addProperty("initialSyncDone", initialSyncDone);
        }
        JsonArray list = new JsonArray();
        problems.forEach(list::add);
        o.add("problems", list);
        return GSON.toJson(o);
    }
}
