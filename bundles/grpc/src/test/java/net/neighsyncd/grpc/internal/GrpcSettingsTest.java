package net.neighsyncd.grpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrpcSettingsTest {
    /** A configuration with the metatype's defaults, and {@code values} on top. */
    private static GrpcApi.Config config(Map<String, Object> values) {
        return (GrpcApi.Config) Proxy.newProxyInstance(GrpcApi.Config.class.getClassLoader(),
                new Class<?>[] {GrpcApi.Config.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return GrpcApi.Config.class;
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    @Test
    void theDefaultsInForceBeforeAnyConfigurationAreTheMetatypeDefaults() {
        assertEquals(GrpcSettings.DEFAULTS, GrpcSettings.of(config(Map.of())));
    }

    @Test
    void aKeepaliveTimeoutNotBelowTheKeepaliveIsRefusedSayingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GrpcSettings.of(config(Map.of("keepaliveSeconds", 30, "keepaliveTimeoutSeconds", 30))));
        assertTrue(e.getMessage().contains("keepaliveTimeoutSeconds=30 must be less than keepaliveSeconds=30"),
                e.getMessage());
    }

    @Test
    void aCertificateWithoutItsKeyAndValuesOutOfRangeAreRefusedTogether() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrpcSettings.of(config(
                Map.of("tlsCertificate", "/etc/cert.pem", "port", 70_000, "maxPageSize", 0))));
        assertTrue(e.getMessage().contains("tlsCertificate and tlsKey go together"), e.getMessage());
        assertTrue(e.getMessage().contains("port=70000 is outside 0..65535"), e.getMessage());
        assertTrue(e.getMessage().contains("maxPageSize=0 is outside 1..100000"), e.getMessage());
    }

    @Test
    void onlyAChangeOfWhereOrHowItListensRestartsTheServer() {
        GrpcSettings base = GrpcSettings.of(config(Map.of()));
        assertTrue(base.listensAs(GrpcSettings.of(config(Map.of("maxPageSize", 10, "eventLagLimit", 100)))));
        assertTrue(!base.listensAs(GrpcSettings.of(config(Map.of("port", 50052)))));
        assertTrue(!base.listensAs(GrpcSettings.of(config(Map.of("maxRequestBytes", 2048)))));
    }
}
