package net.neighsyncd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiTokenCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String arg) {
        return ApiTokenCommand.run(arg, new SecureRandom(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsATokenAndTheEntryHoldingOnlyItsHash() {
        // when
        int status = run("ci-reader:read");
        // then
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().map(String::strip).toList();
        String token = lines.get(1);
        String entry = lines.get(3);
        assertEquals(0, status);
        assertTrue(token.startsWith("nsd_") && token.length() == 47, token);
        assertEquals("ci-reader:read:" + ApiTokenCommand.sha256Hex(token), entry);
        assertTrue(!entry.contains(token));
    }

    @Test
    void refusesAnUnknownScope() {
        assertEquals(2, run("ops:root"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("NAME:read or NAME:admin"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
