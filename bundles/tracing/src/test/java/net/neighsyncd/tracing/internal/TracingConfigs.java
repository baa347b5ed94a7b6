package net.neighsyncd.tracing.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** An {@link OtlpTracing.Config} with its defaults, some replaced, as DS would hand it over. */
final class TracingConfigs {
    private TracingConfigs() {
    }

    static OtlpTracing.Config of(Map<String, Object> overrides) {
        return (OtlpTracing.Config) Proxy.newProxyInstance(OtlpTracing.Config.class.getClassLoader(),
                new Class<?>[] {OtlpTracing.Config.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return OtlpTracing.Config.class;
                    }
                    return overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    static TracingSettings settings(Map<String, Object> overrides) {
        return TracingSettings.of(of(overrides));
    }
}
