package net.neighsyncd.netlink.internal;

import java.lang.annotation.Annotation;

/** Configuration instances as DS would hand them to the component. */
final class Configs {
    private Configs() {
    }

    @SuppressWarnings("all")
    static NetlinkNeighborSource.Config config(String namespace, int receiveBufferBytes) {
        return new NetlinkNeighborSource.Config() {
            @Override
            public String namespace() {
                return namespace;
            }

            @Override
            public int receiveBufferBytes() {
                return receiveBufferBytes;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return NetlinkNeighborSource.Config.class;
            }
        };
    }

    @SuppressWarnings("all")
    static KernelNeighborRestore.Config restoreConfig(boolean enabled, String namespace, int timeoutSeconds,
            int retryMillis) {
        return new KernelNeighborRestore.Config() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public String namespace() {
                return namespace;
            }

            @Override
            public int timeoutSeconds() {
                return timeoutSeconds;
            }

            @Override
            public int retryMillis() {
                return retryMillis;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return KernelNeighborRestore.Config.class;
            }
        };
    }
}
