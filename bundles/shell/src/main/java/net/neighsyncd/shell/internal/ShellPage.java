package net.neighsyncd.shell.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Console page {@code /system/console/shell}: one Gogo command line at a time (the
 * {@code neighsyncd:} commands, and the framework's {@code lb}, {@code scr:list}, ... when
 * installed), run in a session of its own, its output shown. Behind the console's login, so the
 * shell is reachable only where the console is (loopback unless configured) and only with the
 * admin's password; a {@code POST} is taken only with the random token this page's form carries
 * (the console has no CSRF protection of its own).
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + ShellPage.LABEL,
        "felix.webconsole.title=Shell",
        "felix.webconsole.category=neighsyncd" })
public final class ShellPage extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ShellPage.class);
    static final String LABEL = "shell";
    /** Longest command line taken. */
    static final int MAX_LINE = 1000;

    @Reference
    private transient CommandProcessor processor;

    private final String token = newToken();

    private static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        page(response, "", null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String sent = request.getParameter("token");
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "the form's token is missing or wrong");
            return;
        }
        String line = request.getParameter("command");
        if (line == null || line.isBlank() || line.length() > MAX_LINE) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "a command of 1 to " + MAX_LINE + " characters");
            return;
        }
        LOG.info("Web Console shell ({}): {}", request.getRemoteUser(), line.replace('\n', ' ').replace('\r', ' '));
        page(response, line, run(line));
    }

    /** Runs {@code line} in a session of its own; its output, then its result or its error. */
    String run(String line) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
                CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            Object result = session.execute(line);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
        } catch (Exception e) {
            return captured.toString(StandardCharsets.UTF_8) + "error: " + e.getMessage() + "\n";
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private void page(HttpServletResponse response, String line, String output) throws IOException {
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        PrintWriter w = response.getWriter();
        w.println("<div id=\"neighsyncd-shell\">");
        w.println("<p>Gogo commands: <code>neighsyncd:status</code>, <code>neighsyncd:neighbors [INTERFACE]</code>, "
                + "<code>neighsyncd:explain IFNAME IP</code>, <code>neighsyncd:resync</code> (each takes "
                + "<code>-n NAMESPACE</code>), and the framework's.</p>");
        w.println("<form method=\"post\" action=\"" + LABEL + "\">");
        w.println("<input type=\"hidden\" name=\"token\" value=\"" + token + "\">");
        w.println("<input type=\"text\" name=\"command\" size=\"80\" maxlength=\"" + MAX_LINE + "\" value=\""
                + html(line) + "\" autofocus> <input type=\"submit\" value=\"Run\">");
        w.println("</form>");
        if (output != null) {
            w.println("<pre id=\"neighsyncd-shell-output\">" + html(output) + "</pre>");
        }
        w.println("</div>");
    }

    static String html(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
