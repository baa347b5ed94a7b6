package net.neighsyncd.bench;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.testsupport.Netns;

/**
 * Adds the benchmark's neighbors with one {@code ip -n <ns> -batch -}, its lines streamed to its
 * stdin as they are made (1M lines are about 80 MB), and times it. The time allowed grows with N
 * (one minute plus a minute per 100,000), where {@link Netns#batch} allows a fixed minute.
 *
 * <p>The kernel's neighbor table limits ({@code net.ipv4.neigh.default.gc_thresh1/2/3}, one
 * table for all namespaces, set under the initial namespace's /proc/sys) are left alone: the
 * kernel does not hold permanent entries to them (Linux 6.18 added 1,000,000 with
 * {@code gc_thresh3} at 1024). Should a kernel refuse, {@code ip} fails with "No buffer space
 * available" and the run with it.
 */
final class IpBatch {
    private IpBatch() {
    }

    /** Adds neighbors {@code from} to {@code to}; returns the seconds {@code ip -batch} took, start to exit. */
    static double addNeighbors(Netns ns, int from, int to) throws IOException, InterruptedException {
        long timeoutSeconds = 60 + 60L * (to - from + 1) / 100_000;
        File log = File.createTempFile("neighsyncd-bench-ip", ".log");
        try {
            long t0 = System.nanoTime();
            Process ip = new ProcessBuilder("ip", "-n", ns.name(), "-batch", "-").redirectErrorStream(true)
                    .redirectOutput(log).start();
            try (OutputStream in = new BufferedOutputStream(ip.getOutputStream(), 1 << 16)) {
                for (int i = from; i <= to; i++) {
                    in.write(NeighborSet.ipBatchLine(i).getBytes(StandardCharsets.US_ASCII));
                    in.write('\n');
                }
            } catch (IOException e) {
                // ip ended early: its exit code and output say why
            }
            if (!ip.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                ip.destroyForcibly();
                throw new IllegalStateException("ip -batch adding " + (to - from + 1) + " neighbors took more than "
                        + timeoutSeconds + " s");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (ip.exitValue() != 0) {
                throw new IllegalStateException("ip -batch exited with " + ip.exitValue() + ": "
                        + Files.readString(log.toPath()).strip());
            }
            return seconds;
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }
}
