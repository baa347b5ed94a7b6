package net.neighsyncd.redis.internal;

import java.util.function.Consumer;
import net.neighsyncd.api.vrf.VrfBindingSource;
import net.neighsyncd.api.vrf.VrfBindings;
import net.neighsyncd.api.vrf.VrfOrigin;

/**
 * The VRFs of CONFIG_DB ({@code VRF|<name>}) and the interfaces bound to them ({@code vrf_name}
 * of {@code INTERFACE}, {@code VLAN_INTERFACE} and {@code PORTCHANNEL_INTERFACE}), as the
 * {@link ConfigDbFollower} reads them.
 */
final class ConfigDbVrfBindings implements VrfBindingSource {
    private final ConfigDbPart<VrfBindings> vrfs;

    ConfigDbVrfBindings(ConfigDbFollower follower) {
        this.vrfs = new ConfigDbPart<>(follower, ConfigDbState::vrfs);
    }

    @Override
    public VrfOrigin origin() {
        return VrfOrigin.CONFIG_DB;
    }

    @Override
    public VrfBindings current() {
        return vrfs.current();
    }

    @Override
    public AutoCloseable watch(Consumer<VrfBindings> listener) {
        return vrfs.watch(listener);
    }
}
