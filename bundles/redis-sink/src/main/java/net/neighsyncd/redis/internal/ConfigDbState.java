package net.neighsyncd.redis.internal;

import net.neighsyncd.api.engine.SwitchModes;
import net.neighsyncd.api.vrf.VrfBindings;

/**
 * What neighsyncd follows in CONFIG_DB, read in one pass.
 *
 * @param modes the switch modes the neighbor rules depend on
 * @param vrfs  the VRFs and the interfaces bound to them
 */
record ConfigDbState(SwitchModes modes, VrfBindings vrfs) {
    /** An empty CONFIG_DB. */
    static final ConfigDbState EMPTY = new ConfigDbState(SwitchModes.DEFAULT, VrfBindings.NONE);
}
