package net.neighsyncd.redis.internal;

import java.util.function.Consumer;
import net.neighsyncd.api.engine.SwitchModes;
import net.neighsyncd.api.engine.SwitchModesSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The switch modes CONFIG_DB sets, as the {@link ConfigDbFollower} reads them. */
@Component(service = SwitchModesSource.class)
public class ConfigDbSwitchModes implements SwitchModesSource {
    private final ConfigDbPart<SwitchModes> modes;

    @Activate
    public ConfigDbSwitchModes(@Reference ConfigDbFollower follower) {
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
