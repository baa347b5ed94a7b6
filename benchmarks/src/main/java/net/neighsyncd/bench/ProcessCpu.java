package net.neighsyncd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used, all its threads together (those already ended included):
 * {@code utime + stime}, fields 14 and 15 of {@code /proc/<pid>/stat}, in clock ticks of
 * {@code getconf CLK_TCK} (100 on Linux, so 10 ms resolution).
 */
final class ProcessCpu {
    private static long ticksPerSecond;

    private ProcessCpu() {
    }

    /** The process's user plus system time so far, in clock ticks; -1 when it is gone. */
    static long ticks(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return -1;
        }
        // field 2, the command, is in parentheses and may hold spaces: count from the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state), so field k is f[k - 3]
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    /** Clock ticks as microseconds. */
    static double micros(long ticks) throws IOException, InterruptedException {
        return ticks * 1e6 / ticksPerSecond();
    }

    /** {@code getconf CLK_TCK}, asked once. */
    static synchronized long ticksPerSecond() throws IOException, InterruptedException {
        if (ticksPerSecond == 0) {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor() != 0) {
                throw new IOException("getconf CLK_TCK failed: " + out);
            }
            ticksPerSecond = Long.parseLong(out);
        }
        return ticksPerSecond;
    }
}
