package net.neighsyncd.alerting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import net.neighsyncd.api.alerting.Alert;
import net.neighsyncd.api.alerting.Alert.State;
import org.junit.jupiter.api.Test;

/** The webhook body, byte for byte as receivers have always been sent it. */
class JsonTest {
    private static final Instant SINCE = Instant.parse("2026-01-01T00:00:00.250Z");

    @Test
    void aFiringAlertIsWrittenWithItsFieldsInTheirOrderAndItsLabelsSorted() {
        Alert a = new Alert("queue-growing", State.FIRING, Alert.Severity.WARNING,
                Map.of("team", "net", "page", "no"), "the queue grows", 1250.5, SINCE);
        assertEquals("{\"rule\":\"queue-growing\",\"state\":\"FIRING\",\"severity\":\"warning\","
                + "\"labels\":{\"page\":\"no\",\"team\":\"net\"},\"description\":\"the queue grows\","
                + "\"value\":1250.5,\"since\":\"2026-01-01T00:00:00.250Z\"}", Json.of(a));
    }

    @Test
    void aValueIsWrittenAsJavaPrintsADouble() {
        assertEquals("\"value\":1.0E10", valueField(1e10));
        assertEquals("\"value\":0.0", valueField(0));
        assertEquals("\"value\":-3.0", valueField(-3));
    }

    @Test
    void aValueThatIsNotFiniteIsWrittenAsNull() {
        assertEquals("\"value\":null", valueField(Double.POSITIVE_INFINITY));
    }

    @Test
    void htmlCharactersAreNotEscaped() {
        Alert a = new Alert("a<b>&c='d'", State.RESOLVED, Alert.Severity.INFO, Map.of(), "", 1, SINCE);
        assertEquals("{\"rule\":\"a<b>&c='d'\",\"state\":\"RESOLVED\",\"severity\":\"info\",\"labels\":{},"
                + "\"description\":\"\",\"value\":1.0,\"since\":\"2026-01-01T00:00:00.250Z\"}", Json.of(a));
    }

    @Test
    void quotesBackslashesTabsAndOtherControlCharactersAreEscaped() {
        Alert a = new Alert("r", State.PENDING, Alert.Severity.CRITICAL, Map.of(), "\"\\\t\r\n\u0001é", 1, SINCE);
        String json = Json.of(a);
        assertEquals("\"description\":\"\\\"\\\\\\t\\r\\n\\u0001é\"",
                json.substring(json.indexOf("\"description\""), json.indexOf(",\"value\"")));
    }

    private static String valueField(double value) {
        String json = Json.of(new Alert("r", State.FIRING, Alert.Severity.INFO, Map.of(), "", value, SINCE));
        return json.substring(json.indexOf("\"value\""), json.indexOf(",\"since\""));
    }
}
