package net.neighsyncd.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SONiC's database_global.json, read as SONiC's database library reads it. */
class DatabaseGlobalConfigTest {
    @TempDir
    Path tmp;

    private Path global(String json) throws IOException {
        Path file = tmp.resolve("redis/sonic-db/database_global.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    @Test
    void listsEveryNamespaceWithItsFileRelativeToTheGlobalFilesFolder() throws IOException {
        // given: a two-ASIC switch's file, as SONiC writes it
        Path file = global("{\"INCLUDES\": ["
                + "{\"include\": \"../../redis/sonic-db/database_config.json\"},"
                + "{\"namespace\": \"asic0\", \"include\": \"../../redis0/sonic-db/database_config.json\"},"
                + "{\"namespace\": \"asic1\", \"include\": \"../../redis1/sonic-db/database_config.json\"}],"
                + "\"VERSION\": \"1.0\"}");
        // when
        Map<String, Path> all = DatabaseGlobalConfig.namespaces(file);
        // then: the host under the empty name, in the file's order
        assertEquals(List.of("", "asic0", "asic1"), List.copyOf(all.keySet()));
        assertEquals(tmp.resolve("redis1/sonic-db/database_config.json"), all.get("asic1"));
    }

    @Test
    void entriesOfAContainerAreNotANamespaces() throws IOException {
        Path file = global("{\"INCLUDES\": [{\"namespace\": \"asic0\", \"include\": \"a.json\"},"
                + "{\"namespace\": \"asic0\", \"container_name\": \"dpu0\", \"include\": \"dpu.json\"},"
                + "{\"container_name\": \"dpu1\", \"include\": \"dpu1.json\"}]}");
        assertEquals(Map.of("asic0", file.getParent().resolve("a.json")), DatabaseGlobalConfig.namespaces(file));
    }

    @Test
    void aFileWithoutIncludesIsAClearError() throws IOException {
        Path file = global("{\"VERSION\": \"1.0\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseGlobalConfig.namespaces(file));
        assertEquals("database_global.json " + file + ": has no INCLUDES list", e.getMessage());
    }

    @Test
    void anEntryWithoutIncludeIsAClearError() throws IOException {
        Path file = global("{\"INCLUDES\": [{\"namespace\": \"asic0\"}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseGlobalConfig.namespaces(file));
        assertTrue(e.getMessage().endsWith("INCLUDES[0] has no include"), e.getMessage());
    }
}
