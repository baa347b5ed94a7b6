package net.neighsyncd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebConsoleAccessTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private WebConsoleAccess.Login resolve(Path etc, Path file) throws IOException {
        return WebConsoleAccess.resolve(etc, file, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private Path etc(String... lines) throws IOException {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.write(etc.resolve(WebConsoleAccess.PID + ".cfg"), java.util.List.of(lines));
        return etc;
    }

    /** The Web Console's own check: {@code new Password(hash).matches(typed)}. */
    private static boolean consoleAccepts(String hash, String typed) throws Exception {
        Class<?> c = Class.forName("org.apache.felix.webconsole.internal.servlet.Password");
        Constructor<?> ctor = c.getDeclaredConstructor(String.class);
        ctor.setAccessible(true);
        Method matches = c.getDeclaredMethod("matches", byte[].class);
        matches.setAccessible(true);
        return (Boolean) matches.invoke(ctor.newInstance(hash), (Object) typed.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void generatesAnOwnerOnlyPasswordFileOnceAndSaysWhere() throws Exception {
        Path etc = etc("username = admin", "password = ${neighsyncd.webconsole.password}");
        Path file = dir.resolve("run/webconsole.password");

        WebConsoleAccess.Login first = resolve(etc, file);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String password = Files.readString(file).strip();
        assertTrue(password.length() >= 20, password);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("generated a Web Console password for user admin into "
                + file), out.toString(StandardCharsets.UTF_8));
        assertTrue(first.passwordHash().startsWith("{sha-256}"));
        assertFalse(first.passwordHash().contains(password));
        assertTrue(consoleAccepts(first.passwordHash(), password));
        assertFalse(consoleAccepts(first.passwordHash(), "admin"));

        // and the next start reads it again
        out.reset();
        WebConsoleAccess.Login second = resolve(etc, file);
        assertEquals(password, Files.readString(file).strip());
        assertTrue(consoleAccepts(second.passwordHash(), password));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("password in " + file, second.where());
    }

    @Test
    void anOperatorHashInTheEtcFileWinsAndNothingIsGenerated() throws Exception {
        String own = WebConsoleAccess.hash("operator secret");
        Path etc = etc("username = ops", "password = " + own);
        Path file = dir.resolve("webconsole.password");

        WebConsoleAccess.Login login = resolve(etc, file);

        assertEquals(own, login.passwordHash());
        assertEquals("ops", login.user());
        assertFalse(Files.exists(file));
        assertTrue(consoleAccepts(login.passwordHash(), "operator secret"));
    }

    @Test
    void anEmptyPasswordInTheEtcFileIsRefused() throws Exception {
        Path etc = etc("password =");
        IOException e = assertThrows(IOException.class, () -> resolve(etc, dir.resolve("p")));
        assertTrue(e.getMessage().contains("admin/admin"), e.getMessage());
    }

    @Test
    void anEmptyPasswordFileIsRefused() throws Exception {
        Path etc = etc("password = ${neighsyncd.webconsole.password}");
        Path file = Files.writeString(dir.resolve("p"), "\n");
        assertThrows(IOException.class, () -> resolve(etc, file));
    }

    @Test
    void aClearTextPasswordInTheEtcFileIsHashedAndWarnedAbout() throws Exception {
        Path etc = etc("password = plain words");
        WebConsoleAccess.Login login = resolve(etc, dir.resolve("p"));
        assertTrue(consoleAccepts(login.passwordHash(), "plain words"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("clear text"));
    }
}
