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
}
