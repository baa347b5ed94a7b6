package net.neighsyncd.webconsole.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import net.neighsyncd.api.engine.SyncEngine;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The Web Console page {@code /system/console/neighsyncd}: the sync engine's status and a
 * searchable table of its applied neighbors. A plain servlet registered with the Web Console's
 * plugin properties; the console draws its frame around what {@code doGet} writes.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + NeighsyncdPlugin.LABEL,
        "felix.webconsole.title=neighsyncd",
        "felix.webconsole.category=neighsyncd" })
public final class NeighsyncdPlugin extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final String LABEL = "neighsyncd";

    /** Absent while the core bundle is not active; the page says so. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SyncEngine engine;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String html = StatusPage.render(engine, request.getParameter(StatusPage.QUERY));
        // the console has started the HTML response (type, encoding, frame) before calling here
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(html);
    }
}
