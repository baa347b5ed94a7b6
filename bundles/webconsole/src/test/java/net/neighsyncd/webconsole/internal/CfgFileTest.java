package net.neighsyncd.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CfgFileTest {
    private static final String FILE = String.join("\n",
            "# Where APPL_DB is.",
            "redisUrl = ${neighsyncd.redis.url}",
            "",
            "# batch",
            "maxBatch=10000",
            "long = a,\\",
            "   b",
            "") ;

    private static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void unchangedValuesKeepTheirLinesPlaceholdersAndComments() {
        Map<String, String> before = map("redisUrl", "unix:///run/redis.sock", "maxBatch", "10000", "long", "a,b");
        assertEquals(FILE, CfgFile.update(FILE, before, before));
    }

    @Test
    void aChangedValueRewritesOnlyItsLine() {
        Map<String, String> before = map("redisUrl", "unix:///run/redis.sock", "maxBatch", "10000", "long", "a,b");
        Map<String, String> after = map("redisUrl", "unix:///run/redis.sock", "maxBatch", "500", "long", "a,b");
        String text = CfgFile.update(FILE, before, after);
        assertEquals(FILE.replace("maxBatch=10000", "maxBatch = 500"), text);
    }

    @Test
    void aChangedContinuedValueReplacesAllItsLinesAndNewKeysAreAppended() {
        Map<String, String> before = map("redisUrl", "u", "maxBatch", "10000", "long", "a,b");
        Map<String, String> after = map("long", "c", "fresh key", "x=y\\z");
        String text = CfgFile.update(FILE, before, after);
        assertEquals(String.join("\n", "# Where APPL_DB is.", "redisUrl = ${neighsyncd.redis.url}", "", "# batch",
                "maxBatch=10000", "long = c", "fresh\\ key = x=y\\\\z", ""), text);
        assertEquals(map("redisUrl", "${neighsyncd.redis.url}", "maxBatch", "10000", "long", "c", "fresh key", "x=y\\z"),
                CfgFile.read(text));
    }

    @Test
    void aSaveWithoutAKeyNeverRemovesItSoAFileIsNeverEmptied() {
        Map<String, String> before = map("redisUrl", "u", "maxBatch", "10000", "long", "a,b");
        assertEquals(FILE, CfgFile.update(FILE, before, Map.of()));
    }

    @Test
    void valuesOutsidePrintableAsciiAreEscapedAndReadBack() {
        String text = CfgFile.update("", Map.of(), map("k", " lead\u00e9\ttab\nline"));
        assertEquals(" lead\u00e9\ttab\nline", CfgFile.read(text).get("k"));
    }
}
