package net.neighsyncd.rest.internal;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsMediaType;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;

/**
 * Request bodies of the v1 API read as JSON through Gson, into the records the resources take.
 * An empty body reads as null; one that is not JSON of that shape is a 400 that says so, one
 * longer than {@code maxRequestBytes} a 413.
 */
@Component(service = MessageBodyReader.class)
@JakartarsExtension
@JakartarsName("neighsyncd-gson-reader")
@JakartarsApplicationSelect(ApiApplication.SELECT)
@JakartarsMediaType(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class GsonReader implements MessageBodyReader<Object> {
    private static final Gson GSON = new Gson();

    @org.osgi.service.component.annotations.Reference
    RestApi api;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type.isRecord() && GsonWriter.isJson(mediaType);
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        // a body sent without a length is read only up to the limit
        int limit = RestApi.live(api).settings().maxRequestBytes();
        byte[] bytes = entityStream.readNBytes(limit + 1);
        if (bytes.length > limit) {
            RestApi.live(api).refused(RestApi.Refusal.TOO_LARGE);
            throw new jakarta.ws.rs.WebApplicationException("the request body is longer than " + limit
                    + " bytes (maxRequestBytes)", 413);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return null;
        }
        try {
            return GSON.fromJson(text, type);
        } catch (JsonParseException e) {
            throw new BadRequestException("body: not a JSON object of the expected shape");
        }
    }
}
