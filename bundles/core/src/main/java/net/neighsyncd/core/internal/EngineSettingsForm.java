package net.neighsyncd.core.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Describes PID {@value SyncEngineComponent#PID} ({@link EngineConfig}) to Config Admin's metatype
 * and the Web Console's form. The engine takes its pipeline's configuration after it, and a
 * {@code @Designate} can only describe a component of one PID; this one is never activated
 * (nobody asks for its private service).
 */
@Component(service = EngineSettingsForm.class, configurationPid = SyncEngineComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EngineConfig.class)
public final class EngineSettingsForm {
}
