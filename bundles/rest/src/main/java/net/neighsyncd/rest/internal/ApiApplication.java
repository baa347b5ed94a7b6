package net.neighsyncd.rest.internal;

import jakarta.ws.rs.core.Application;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.JakartarsWhiteboardConstants;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationBase;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtensionSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

/**
 * The v1 API as the whiteboard's default application ({@code .default}: it shadows the
 * whiteboard's own, empty one at base {@code /}), under the whiteboard's context path
 * ({@code /api}, etc/JakartarsServletWhiteboardRuntimeComponent.cfg): at {@code /api/v1}. Every
 * resource and extension of this bundle selects it by {@link #SELECT}; one Jersey container in all.
 * The application's service properties reach Jersey's configuration: no WADL (it needs a JAXB
 * implementation that the runtime does not have). It requires the bearer-token filter: without it
 * the whiteboard serves none of its resources, so no resource is ever reachable without a token.
 */
@Component(service = Application.class, property = {
        ApiApplication.MARK + "=v1",
        "jersey.config.server.wadl.disableWadl:Boolean=true" })
@JakartarsApplicationBase("v1")
@JakartarsExtensionSelect("(osgi.jakartars.name=" + BearerAuthentication.NAME + ")")
@JakartarsName(JakartarsWhiteboardConstants.JAKARTA_RS_DEFAULT_APPLICATION)
public final class ApiApplication extends Application {
    /** A property of this application only, by which its resources and extensions select it. */
    static final String MARK = "neighsyncd.api";
    /**
     * What the resources and extensions select: this application, not the whiteboard's own
     * default one, which takes its place while it is gone (a bundle stopping).
     */
    static final String SELECT = "(" + MARK + "=v1)";
}
