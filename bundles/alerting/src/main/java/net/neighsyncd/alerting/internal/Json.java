package net.neighsyncd.alerting.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.Map;
import net.neighsyncd.api.alerting.Alert;

/** The JSON of an alert, as the webhook posts it (Gson). */
final class Json {
    /** {@code "value":null} is written, not left out; {@code <>&='} stay as they are. */
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Json() {
    }

    /**
     * {@code {"rule","state","severity","labels":{...},"description","value","since"}} in that
     * order; {@code value} is {@code null} when it is not a finite number, {@code since} is ISO-8601.
     */
    static String of(Alert a) {
        JsonObject o = new JsonObject();
        o.addProperty("rule", a.rule());
        o.addProperty("state", a.state().name());
        o.addProperty("severity", a.severity().label());
        JsonObject labels = new JsonObject();
        for (Map.Entry<String, String> e : a.labels().entrySet()) {
            labels.addProperty(e.getKey(), e.getValue());
        }
        o.add("labels", labels);
        o.addProperty("description", a.description());
        if (Double.isFinite(a.value())) {
            o.addProperty("value", a.value());
        } else {
            o.add("value", JsonNull.INSTANCE);
        }
        o.addProperty("since", a.since().toString());
        return GSON.toJson(o);
    }
}
