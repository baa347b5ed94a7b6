package net.neighsyncd.redis.internal;

import java.util.function.Consumer;
import net.neighsyncd.api.engine.SwitchModes;
import net.neighsyncd.api.engine.SwitchModesSource;

/** The switch modes CONFIG_DB sets, as the {@link ConfigDbFollower} reads them. */
final class ConfigDbSwitchModes implements SwitchModesSource {
    private final ConfigDbPart<SwitchModes> modes;

    ConfigDbSwitchModes(ConfigDbFollower follower) {
        this.modes = new ConfigDbPart<>(follower, ConfigDbState::modes);
    }

    @Override
    public SwitchModes current() {
        return modes.current();
    }

    @Override
    public AutoCloseable watch(Consumer<SwitchModes> listener) {
        return modes.watch(listener);
    }
}
