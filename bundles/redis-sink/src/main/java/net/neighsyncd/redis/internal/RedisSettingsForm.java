package net.neighsyncd.redis.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Describes PID {@value RedisSettings#PID} ({@link AppDbNeighborSink.Config}) to Config Admin's
 * metatype and the Web Console's form. The components that read it take their pipeline's
 * configuration after it, and a {@code @Designate} can only describe a component of one PID; this
 * one is never activated (nobody asks for its private service).
 */
@Component(service = RedisSettingsForm.class, configurationPid = RedisSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AppDbNeighborSink.Config.class)
public final class RedisSettingsForm {
}
