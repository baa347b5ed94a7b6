package net.neighsyncd.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private Linux network namespace for tests, made and driven with iproute2's {@code ip}
 * ({@code ip netns add}, {@code ip -n NAME ...}). Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN);
 * check {@link #usable()} first and skip with {@link #whyUnusable()}.
 *
 * <pre>{@code
 * assumeTrue(Netns.usable(), Netns::whyUnusable);
 * try (Netns ns = Netns.create("mytest")) {
 *     ns.addVethPair("veth0", "veth1");
 *     ns.exec("neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "nud", "permanent", "dev", "veth0");
 * }
 * }</pre>
 *
 * Closing deletes the namespace, and with it every interface and neighbor in it; namespaces
 * still open when the JVM exits are deleted by a shutdown hook.
 */
public final class Netns implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 60;
    private static final Pattern LINK_LINE = Pattern.compile("^(\\d+):\\s");

    /** Namespaces not yet closed; a shutdown hook deletes them if the test JVM ends first. */
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String n : LIVE) {
                try {
                    run(null, ip(), "netns", "del", n);
                } catch (RuntimeException e) {
                    // best effort while the JVM goes down
                }
            }
        }, "netns-cleanup"));
    }

    private final String name;
    private volatile boolean closed;

    private Netns(String name) {
        this.name = name;
    }

    /**
     * Creates a namespace named {@code <prefix>-<random hex>} under {@code /var/run/netns} and
     * brings its loopback up.
     */
    public static Netns create(String prefix) {
        String p = prefix == null || prefix.isEmpty() ? "nstest" : prefix;
        String name = p + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFFL);
        run(null, ip(), "netns", "add", name);
        LIVE.add(name);
        Netns ns = new Netns(name);
        try {
            ns.exec("link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** True when this process runs as root and {@code ip} is installed. */
    public static boolean usable() {
        return whyUnusable() == null;
    }

    /** Why {@link #usable()} is false, as a message for a test skip; {@code null} when usable. */
    public static String whyUnusable() {
        Integer uid = effectiveUid();
        if (uid == null) {
            return "network namespace tests need Linux (/proc/self/status is unreadable)";
        }
        if (uid != 0) {
            return "network namespace tests need root (effective uid is " + uid + ")";
        }
        if (findIp() == null) {
            return "network namespace tests need iproute2's 'ip' (not found on PATH, /sbin or /usr/sbin)";
        }
        return null;
    }

    /** The namespace's name, as {@code ip netns} and {@code /var/run/netns/NAME} know it. */
    public String name() {
        return name;
    }

    /** Runs {@code ip -n NAME <ipArgs>} and returns its standard output; fails with the output on a non-zero exit. */
    public String exec(String... ipArgs) {
        List<String> cmd = new ArrayList<>(ipArgs.length + 3);
        cmd.add(ip());
        cmd.add("-n");
        cmd.add(name);
        cmd.addAll(List.of(ipArgs));
        return run(null, cmd.toArray(new String[0]));
    }

    /**
     * Runs the lines as one {@code ip -n NAME -batch -} (one {@code ip} command per line, without
     * the leading {@code ip}, e.g. {@code neigh replace 10.0.0.2 lladdr ... dev veth0}).
     */
    public String batch(List<String> lines) {
        StringBuilder sb = new StringBuilder(lines.size() * 64);
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        return run(sb.toString().getBytes(StandardCharsets.UTF_8), ip(), "-n", name, "-batch", "-");
    }

    /** Creates the veth pair {@code a}/{@code b} in this namespace and brings both ends up. */
    public void addVethPair(String a, String b) {
        exec("link", "add", a, "type", "veth", "peer", "name", b);
        exec("link", "set", a, "up");
        exec("link", "set", b, "up");
    }

    /** The interface index of {@code ifname} in this namespace. */
    public int ifindex(String ifname) {
        String out = exec("-o", "link", "show", "dev", ifname);
        Matcher m = LINK_LINE.matcher(out.trim());
        if (!m.find()) {
            throw new IllegalStateException("cannot read the ifindex of " + ifname + " in " + name + ": " + out);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Deletes the namespace; safe to call more than once. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            run(null, ip(), "netns", "del", name);
        } finally {
            LIVE.remove(name);
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }

    private static String ip() {
        String ip = findIp();
        if (ip == null) {
            throw new IllegalStateException(whyUnusable());
        }
        return ip;
    }

    private static String findIp() {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "ip");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static Integer effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return Integer.parseInt(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Runs a command, feeding {@code stdin} when given; returns stdout or throws with all output. */
    private static String run(byte[] stdin, String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Process proc;
        try {
            proc = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
        }
        CompletableFuture<byte[]> out = drain(proc.getInputStream(), "stdout");
        CompletableFuture<byte[]> err = drain(proc.getErrorStream(), "stderr");
        try (OutputStream in = proc.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException e) {
            // the command exited early; its exit code and stderr tell why
        }
        try {
            if (!proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw new IllegalStateException("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd));
            }
            String stdout = new String(out.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            String stderr = new String(err.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            if (proc.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", cmd) + "' exited with " + proc.exitValue()
                        + "\nstdout: " + stdout.strip() + "\nstderr: " + stderr.strip());
            }
            return stdout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            proc.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + String.join(" ", cmd), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the output of " + String.join(" ", cmd), e);
        }
    }

    /** Reads a stream to its end on a thread of its own (the common pool may have a single thread). */
    private static CompletableFuture<byte[]> drain(InputStream in, String what) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> f.complete(readAll(in)), "netns-" + what);
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
