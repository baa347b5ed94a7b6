package net.neighsyncd.alerting.internal;

import java.util.Map;
import net.neighsyncd.api.alerting.Alert;

/** The JSON of an alert, as the webhook posts it. */
final class Json {
    private Json() {
    }

    static String of(Alert a) {
        StringBuilder b = new StringBuilder("{");
        field(b, "rule", a.rule()).append(',');
        field(b, "state", a.state().name()).append(',');
        field(b, "severity", a.severity().label()).append(',');
        b.append("\"labels\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : a.labels().entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            field(b, e.getKey(), e.getValue());
        }
        b.append("},");
        field(b, "description", a.description()).append(',');
        b.append("\"value\":").append(Double.isFinite(a.value()) ? Double.toString(a.value()) : "null").append(',');
        field(b, "since", a.since().toString());
        return b.append('}').toString();
    }

    private static StringBuilder field(StringBuilder b, String k, String v) {
        return quote(quote(b, k).append(':'), v);
    }

    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }
}
