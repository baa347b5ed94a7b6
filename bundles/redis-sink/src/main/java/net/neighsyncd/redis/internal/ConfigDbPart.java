package net.neighsyncd.redis.internal;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One part of what the {@link ConfigDbFollower} reads (the switch modes, the VRF bindings), with
 * watchers that hear of a change of that part only.
 *
 * @param <T> the part's type
 */
final class ConfigDbPart<T> {
    private final ConfigDbFollower follower;
    private final Function<ConfigDbState, T> part;

    ConfigDbPart(ConfigDbFollower follower, Function<ConfigDbState, T> part) {
        this.follower = Objects.requireNonNull(follower, "follower");
        this.part = part;
    }

    T current() {
        return part.apply(follower.current());
    }

    /** Calls {@code listener} with each value of the part that differs from the last; close to stop. */
    AutoCloseable watch(Consumer<T> listener) {
        Objects.requireNonNull(listener, "listener");
        Object[] last = {current()};
        return follower.watch(state -> {
            T value = part.apply(state);
            synchronized (last) {
                if (value.equals(last[0])) {
                    return;
                }
                last[0] = value;
            }
            listener.accept(value);
        });
    }
}
