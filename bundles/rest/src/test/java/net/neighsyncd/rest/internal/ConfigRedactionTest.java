package net.neighsyncd.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConfigRedactionTest {

    @Test
    void hidesTheValueOfEveryKeyThatNamesASecret() {
        for (String key : new String[] {"password", "webconsole.password", "tokens", "clientSecret", "apiKey",
            "private_key", "credentials"}) {
            assertEquals(ConfigRedaction.REDACTED, ConfigRedaction.shown(key, "s3cr3t"), key);
        }
    }

    @Test
    void hidesTheUserPartOfAUrlOnly() {
        assertEquals("redis://<redacted>@10.0.0.1:6379/0", ConfigRedaction.shown("redisUrl",
                "redis://default:s3cr3t@10.0.0.1:6379/0"));
        assertEquals("unix:///var/run/redis/redis.sock?db=0", ConfigRedaction.shown("redisUrl",
                "unix:///var/run/redis/redis.sock?db=0"));
        assertEquals(8192, ConfigRedaction.shown("eventQueueCapacity", 8192));
    }

    @Test
    void hidesThePathAndQueryOfAWebUrl() {
        assertEquals("https://hooks.example.com/<redacted>", ConfigRedaction.shown("url",
                "https://hooks.example.com/services/T000/B000/s3cr3tPart"));
        assertEquals("http://127.0.0.1:9093/<redacted>", ConfigRedaction.shown("url",
                "http://127.0.0.1:9093/api?token=abc"));
        assertEquals("http://127.0.0.1:4318", ConfigRedaction.shown("endpoint", "http://127.0.0.1:4318"));
    }

    @Test
    void treatsEachElementOfAListAndAnUnreadableUrlAlike() {
        assertEquals(java.util.List.of("redis://<redacted>@h:6379/0", "x"), ConfigRedaction.shown("urls",
                java.util.List.of("redis://u:p@h:6379/0", "x")));
        assertEquals("redis://<redacted>", ConfigRedaction.shown("redisUrl", "redis://u:pa ss@h"));
    }
}
