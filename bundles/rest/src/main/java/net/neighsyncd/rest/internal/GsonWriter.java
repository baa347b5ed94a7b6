package net.neighsyncd.rest.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsMediaType;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

/**
 * JSON of any object through Gson, for {@code application/json} and every {@code +json} type
 * ({@code application/problem+json}). A whiteboard extension of the v1 application.
 */
@Component(service = MessageBodyWriter.class)
@JakartarsExtension
@JakartarsName("neighsyncd-gson")
@JakartarsApplicationSelect(ApiApplication.SELECT)
@JakartarsMediaType({ MediaType.APPLICATION_JSON, GsonWriter.PROBLEM_JSON })
@Produces({ MediaType.APPLICATION_JSON, GsonWriter.PROBLEM_JSON })
public final class GsonWriter implements MessageBodyWriter<Object> {
    static final String PROBLEM_JSON = ProblemDocument.MEDIA_TYPE;

    /** Records are written by their components; no HTML escaping of {@code <>&='}. */
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type != String.class && type != byte[].class && !java.io.InputStream.class.isAssignableFrom(type)
                && isJson(mediaType);
    }

    static boolean isJson(MediaType m) {
        return m != null && "application".equals(m.getType())
                && ("json".equals(m.getSubtype()) || m.getSubtype().endsWith("+json"));
    }

    @Override
    public void writeTo(Object value, Class<?> type, Type genericType, Annotation[] annotations,
            MediaType mediaType, MultivaluedMap<String, Object> httpHeaders, OutputStream out)
            throws IOException, WebApplicationException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        GSON.toJson(value, genericType instanceof Class<?> ? genericType : type, w);
        w.flush();
    }
}
