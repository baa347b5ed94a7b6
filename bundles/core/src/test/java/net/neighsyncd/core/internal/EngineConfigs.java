package net.neighsyncd.core.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** An {@link EngineConfig} with its defaults, some replaced, as DS would hand it over. */
final class EngineConfigs {
    private EngineConfigs() {
    }

    static EngineConfig of(Map<String, Object> overrides) {
        return (EngineConfig) Proxy.newProxyInstance(EngineConfig.class.getClassLoader(),
                new Class<?>[] {EngineConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return EngineConfig.class;
                    }
                    return overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                            : method.getDefaultValue();
                });
    }
}
