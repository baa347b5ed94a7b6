package net.neighsyncd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One configuration value the benchmark sets in the daemon's private copy of {@code etc/}:
 * {@code --etc-override PID:key=value}, e.g. {@code net.neighsyncd.core:autoTune=false}. The key's
 * line in {@code PID.cfg} is replaced, or added when the file lacks it (the file is made when
 * there is none), before the daemon starts.
 */
record EtcOverride(String pid, String key, String value) {

    /** {@code PID:key=value}. */
    static EtcOverride parse(String arg) {
        int colon = arg.indexOf(':');
        int eq = arg.indexOf('=', colon + 1);
        if (colon <= 0 || eq <= colon + 1) {
            throw new IllegalArgumentException("--etc-override wants PID:key=value, not " + arg);
        }
        return new EtcOverride(arg.substring(0, colon).trim(), arg.substring(colon + 1, eq).trim(),
                arg.substring(eq + 1).trim());
    }

    /** Writes the value into {@code etc/PID.cfg}. */
    void applyTo(Path etc) throws IOException {
        Path cfg = etc.resolve(pid + ".cfg");
        List<String> lines = Files.exists(cfg) ? Files.readAllLines(cfg, StandardCharsets.UTF_8) : List.of();
        List<String> out = new ArrayList<>();
        boolean replaced = false;
        for (String line : lines) {
            String t = line.trim();
            int eq = t.indexOf('=');
            if (!t.startsWith("#") && eq > 0 && t.substring(0, eq).trim().equals(key)) {
                out.add(key + " = " + value);
                replaced = true;
            } else {
                out.add(line);
            }
        }
        if (!replaced) {
            out.add(key + " = " + value);
        }
        Files.write(cfg, out, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return pid + ":" + key + "=" + value;
    }
}
