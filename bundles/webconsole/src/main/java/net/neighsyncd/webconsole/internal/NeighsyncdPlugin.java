package net.neighsyncd.webconsole.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import net.neighsyncd.api.engine.SyncEngine;
import net.neighsyncd.api.flightrecorder.FlightRecorder;
import net.neighsyncd.api.flightrecorder.RecordingRefusedException;
import net.neighsyncd.api.pipeline.PipelineServices;
import net.neighsyncd.api.profiling.StageHistogram;
import net.neighsyncd.api.profiling.StageTimings;
import net.neighsyncd.api.watch.NeighborWatch;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The Web Console page {@code /system/console/neighsyncd}: the sync engine's status, the stage
 * latencies, the Java Flight Recorder and a searchable table of the applied neighbors that
 * follows the changes while the page is open ({@code changes.json}, {@link LiveChanges}). A plain
 * servlet registered with the Web Console's plugin properties; the console draws its frame
 * around what {@code doGet} writes, except for a path with an extension
 * ({@code /system/console/neighsyncd/neighsyncd.jfr}: the recording's download), and passes
 * every other method (the {@code POST} that starts a recording) straight through. Every path is
 * behind the console's login.
 *
 * <p>The console has no CSRF protection of its own, and a browser that has logged in sends the
 * credentials with any request to it, another site's form included: a {@code POST} is taken
 * only with the random token this page's form carries, which another site cannot read.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + NeighsyncdPlugin.LABEL,
        "felix.webconsole.title=neighsyncd",
        "felix.webconsole.category=neighsyncd" })
public final class NeighsyncdPlugin extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final String LABEL = "neighsyncd";
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** Every pipeline's engine by its namespace; none while the core bundle is not active (the page says so). */
    private final transient PipelineServices<SyncEngine> engines = new PipelineServices<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedEngine")
    void bindEngine(SyncEngine e, java.util.Map<String, Object> props) {
        engines.bind(e, props);
    }

    void updatedEngine(SyncEngine e, java.util.Map<String, Object> props) {
        bindEngine(e, props);
    }

    void unbindEngine(SyncEngine e) {
        engines.unbind(e);
    }

    /** Every pipeline's watch of its applied table by its namespace: the table and its live updates. */
    private final transient PipelineServices<NeighborWatch> watches = new PipelineServices<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedWatch")
    void bindWatch(NeighborWatch w, java.util.Map<String, Object> props) {
        watches.bind(w, props);
    }

    void updatedWatch(NeighborWatch w, java.util.Map<String, Object> props) {
        bindWatch(w, props);
    }

    void unbindWatch(NeighborWatch w) {
        watches.unbind(w);
    }

    private NeighborWatch watchOf(String namespace) {
        return watches.of(namespace).orElse(null);
    }

    private final transient LiveChanges live = new LiveChanges();

    @Deactivate
    void deactivate() {
        live.close();
    }

    /** The parts of the daemon that time stages of the sync path. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final List<StageTimings> stageTimings = new CopyOnWriteArrayList<>();

    /** The Java Flight Recorder (bundle net.neighsyncd.profiling); none while it is not active (the page says so). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile FlightRecorder recorder;

    private final String token = newToken();

    private static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** {@code /system/console/neighsyncd}, from the console's root as it gives it. */
    private static String pageUrl(HttpServletRequest request) {
        Object root = request.getAttribute("felix.webconsole.appRoot");
        return (root != null ? root.toString() : request.getContextPath() + request.getServletPath()) + "/" + LABEL;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getRequestURI();
        if (uri != null && uri.endsWith("/" + LABEL + "/" + ProfilingPage.DOWNLOAD)) {
            download(response);
            return;
        }
        if (uri != null && uri.endsWith("/" + LABEL + "/" + LiveChanges.PATH)) {
            changes(request, response);
            return;
        }
        // the pipeline asked for, else the host's, else the first by name
        java.util.TreeMap<String, SyncEngine> byNamespace = new java.util.TreeMap<>();
        byNamespace.putAll(engines.all());
        String asked = request.getParameter(StatusPage.NAMESPACE);
        String shown = asked != null && byNamespace.containsKey(asked) ? asked
                : byNamespace.isEmpty() ? null : byNamespace.firstKey();
        StringBuilder h = new StringBuilder(StatusPage.render(shown == null ? null : byNamespace.get(shown),
                shown == null ? null : watchOf(shown), request.getParameter(StatusPage.QUERY),
                request.getParameter(StatusPage.VRF), shown, List.copyOf(byNamespace.keySet()),
                request.getParameter(StatusPage.EXPLAIN), pageUrl(request)));
        StringBuilder p = new StringBuilder(4096);
        p.append("<div id=\"neighsyncd-profiling\">\n");
        List<StageHistogram> stages = new ArrayList<>();
        for (StageTimings t : stageTimings) {
            try {
                stages.addAll(t.stages());
            } catch (RuntimeException e) {
                // a broken service leaves out its rows only
            }
        }
        ProfilingPage.stages(p, stages);
        FlightRecorder r = recorder;
        if (r == null) {
            ProfilingPage.noFlightRecorder(p);
        } else {
            ProfilingPage.flightRecorder(p, r.last(), r.minDuration().toSeconds(), r.maxDuration().toSeconds(),
                    pageUrl(request), token);
        }
        p.append("</div>\n");
        // after the status, before the neighbor search
        int at = h.indexOf("<form method=\"get\" id=\"neighsyncd-search\"");
        h.insert(at < 0 ? h.lastIndexOf("</div>") : at, p);
        // the console has started the HTML response (type, encoding, frame) before calling here
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(h.toString());
    }

    private void changes(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String namespace = request.getParameter(StatusPage.NAMESPACE);
        LiveChanges.Answer answer;
        try {
            answer = live.poll(watchOf(namespace == null ? "" : namespace), request.getParameter(StatusPage.QUERY),
                    request.getParameter(StatusPage.VRF), request.getParameter("history"), request.getParameter("after"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = new LiveChanges.Answer(503, "{\"error\":\"the server is stopping\"}");
        }
        response.setStatus(answer.status());
        if (answer.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader("Retry-After", "5");
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(answer.json());
    }

    private void download(HttpServletResponse response) throws IOException {
        FlightRecorder r = recorder;
        Optional<FlightRecorder.RecordingFile> opened = r == null ? Optional.empty() : r.openLast();
        if (opened.isEmpty()) {
            plain(response, HttpServletResponse.SC_NOT_FOUND, "no finished flight recording to download");
            return;
        }
        try (FlightRecorder.RecordingFile file = opened.get(); OutputStream out = response.getOutputStream()) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("application/octet-stream");
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("Content-Disposition", "attachment; filename=\"neighsyncd-"
                    + FILE_TIME.format(file.recording().started()) + ".jfr\"");
            response.setContentLengthLong(file.recording().bytes());
            file.content().transferTo(out);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String sent = request.getParameter(ProfilingPage.TOKEN);
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            plain(response, HttpServletResponse.SC_FORBIDDEN,
                    "the form's token is missing or stale: reload the neighsyncd page and submit its form again");
            return;
        }
        if (!ProfilingPage.START_JFR.equals(request.getParameter(ProfilingPage.ACTION))) {
            plain(response, HttpServletResponse.SC_BAD_REQUEST,
                    "unknown action '" + request.getParameter(ProfilingPage.ACTION) + "'");
            return;
        }
        FlightRecorder r = recorder;
        if (r == null) {
            plain(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "no flight recorder: the bundle net.neighsyncd.profiling is not active");
            return;
        }
        try {
            r.start(seconds(request.getParameter(ProfilingPage.SECONDS)));
        } catch (RecordingRefusedException e) {
            plain(response, e.reason() == RecordingRefusedException.Reason.RECORDING_RUNNING
                    ? HttpServletResponse.SC_CONFLICT : HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        // back to the page, which shows the recording's state (post, redirect, get)
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", pageUrl(request));
    }

    /** The form's whole seconds; null (which the recorder refuses, saying the range) for anything else. */
    private static Duration seconds(String text) {
        try {
            return Duration.ofSeconds(Long.parseLong(text == null ? "" : text.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void plain(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("neighsyncd: " + message + "\n");
    }
}
