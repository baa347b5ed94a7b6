package net.neighsyncd.netlink.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Describes PID {@value NetlinkNeighborSource#PID} ({@link NetlinkNeighborSource.Config}) to
 * Config Admin's metatype and the Web Console's form. The source takes its pipeline's
 * configuration after it, and a {@code @Designate} can only describe a component of one PID; this
 * one is never activated (nobody asks for its private service).
 */
@Component(service = NetlinkSettingsForm.class, configurationPid = NetlinkNeighborSource.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = NetlinkNeighborSource.Config.class)
public final class NetlinkSettingsForm {
}
