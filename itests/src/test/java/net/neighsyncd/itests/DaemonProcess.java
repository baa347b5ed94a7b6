package net.neighsyncd.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The distribution's {@code bin/neighsyncd} in its own process, as an operator or a supervisor
 * runs it, with a private copy of {@code etc/} and its output in a log file.
 */
final class DaemonProcess implements AutoCloseable {
    static final Path DIST = Path.of(System.getProperty("neighsyncd.dist", "../distribution/target/neighsyncd"))
            .toAbsolutePath();

    private final Process process;
    private final Path log;

    private DaemonProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** A private etc/ under {@code work}, with {@code settings} lines appended to {@code <pid>.cfg}. */
    static Path configDir(Path work, Map<String, List<String>> settings) throws IOException {
        Path etc = work.resolve("etc");
        Files.createDirectories(etc);
        try (Stream<Path> s = Files.list(DIST.resolve("etc"))) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Files.copy(f, etc.resolve(f.getFileName()));
            }
        }
        for (Map.Entry<String, List<String>> e : withFreeGrpcPort(settings).entrySet()) {
            Files.write(etc.resolve(e.getKey() + ".cfg"), e.getValue(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        return etc;
    }

    /**
     * {@code settings}, with the gRPC API on a free port (port 0) unless they configure it: tests
     * never take the fixed default port.
     */
    static Map<String, List<String>> withFreeGrpcPort(Map<String, List<String>> settings) {
        if (settings.containsKey("net.neighsyncd.grpc")) {
            return settings;
        }
        Map<String, List<String>> out = new java.util.HashMap<>(settings);
        out.put("net.neighsyncd.grpc", List.of("port = 0"));
        return out;
    }

    /** Starts {@code bin/neighsyncd} with the options, appending its output to {@code log}. */
    static DaemonProcess start(Path log, String... options) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(DIST.resolve("bin/neighsyncd").toString());
        cmd.addAll(List.of(options));
        if (!cmd.contains("--http-port")) {
            // never a fixed port in tests
            cmd.addAll(List.of("--http-port", "0"));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("REDIS_SERVER");
        return new DaemonProcess(pb.start(), log);
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** Lines of the log that contain {@code text}. */
    long count(String text) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    /** The HTTP port the daemon printed in its banner ({@code Web Console at http://127.0.0.1:PORT/}). */
    int httpPort() throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Web Console at https?://127\\.0\\.0\\.1:(\\d+)/")
                .matcher(log());
        if (!m.find()) {
            throw new IllegalStateException("no Web Console banner yet in " + log);
        }
        return Integer.parseInt(m.group(1));
    }

    Process process() {
        return process;
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
