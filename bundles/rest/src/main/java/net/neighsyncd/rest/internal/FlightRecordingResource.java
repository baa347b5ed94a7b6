package net.neighsyncd.rest.internal;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.net.URI;
import net.neighsyncd.api.access.Caller;
import net.neighsyncd.api.access.Scope;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import net.neighsyncd.api.flightrecorder.FlightRecorder;
import net.neighsyncd.api.flightrecorder.FlightRecording;
import net.neighsyncd.api.flightrecorder.RecordingRefusedException;
import net.neighsyncd.api.flightrecorder.RecordingState;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java Flight Recorder over the API: {@code GET /api/v1/flight-recording} (the last
 * recording), {@code POST} (start one: admin scope) and {@code GET /api/v1/flight-recording/file}
 * (its JFR file: admin scope, since a recording holds the JVM's system properties and
 * environment). 503 while no {@link FlightRecorder} service is registered.
 */
@Component(service = FlightRecordingResource.class, scope = ServiceScope.PROTOTYPE)
@JakartarsResource
@JakartarsName("neighsyncd-flight-recording")
@JakartarsApplicationSelect(ApiApplication.SELECT)
@Path("flight-recording")
@Produces(MediaType.APPLICATION_JSON)
public final class FlightRecordingResource {
    private static final Logger LOG = LoggerFactory.getLogger(FlightRecordingResource.class);
    static final String FILE_PATH = "/api/v1/flight-recording/file";
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile FlightRecorder recorder;

    @Context
    ContainerRequestContext request;

    /**
     * The body of {@code POST /flight-recording}.
     *
     * @param seconds how long to record
     */
    record StartRequest(Long seconds) {
    }

    @GET
    public FlightRecordingDocument last() {
        FlightRecorder r = recorder();
        return FlightRecordingDocument.of(r, r.last());
    }

    @POST
    public Response start(StartRequest body) {
        Caller caller = Callers.require(request, Scope.ADMIN);
        FlightRecorder r = recorder();
        if (body == null || body.seconds() == null) {
            throw new BadRequestException("the body must be {\"seconds\": n}, n from " + r.minDuration().toSeconds()
                    + " to " + r.maxDuration().toSeconds());
        }
        FlightRecording started;
        try {
            started = r.start(Duration.ofSeconds(body.seconds()));
        } catch (RecordingRefusedException e) {
            int status = e.reason() == RecordingRefusedException.Reason.RECORDING_RUNNING ? 409 : 400;
            throw new jakarta.ws.rs.WebApplicationException(e.getMessage(), status);
        }
        if (started.state() == RecordingState.FAILED) {
            throw new jakarta.ws.rs.InternalServerErrorException("the flight recording could not start: "
                    + started.error());
        }
        LOG.info("flight recording {} of {} s started over the REST API by token '{}'", started.id(),
                body.seconds(), caller.name());
        return Response.accepted(FlightRecordingDocument.of(r, started))
                .location(URI.create("/api/v1/flight-recording")).build();
    }

    @GET
    @Path("file")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response file() {
        Callers.require(request, Scope.ADMIN);
        FlightRecorder r = recorder();
        FlightRecording done = r.last();
        if (done.state() != RecordingState.DONE) {
            throw new NotFoundException("no finished flight recording: start one with POST /api/v1/flight-recording "
                    + "and read its state until it is done");
        }
        // opened only when the body is written, so that no answer without a body (HEAD) leaves it open
        StreamingOutput body = out -> {
            Optional<FlightRecorder.RecordingFile> opened = r.openLast();
            if (opened.isEmpty() || opened.get().recording().id() != done.id()) {
                opened.ifPresent(FlightRecordingResource::closeQuietly);
                throw new IOException("flight recording " + done.id() + " was replaced while it was being sent");
            }
            try (FlightRecorder.RecordingFile file = opened.get()) {
                file.content().transferTo(out);
            }
        };
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Length", done.bytes())
                .header("Content-Disposition", "attachment; filename=\"neighsyncd-"
                        + FILE_TIME.format(done.started()) + ".jfr\"")
                .header("Cache-Control", "no-store").build();
    }

    private static void closeQuietly(FlightRecorder.RecordingFile f) {
        try {
            f.close();
        } catch (IOException e) {
            LOG.debug("cannot close a flight recording's file: {}", e.toString());
        }
    }

    private FlightRecorder recorder() {
        FlightRecorder r = recorder;
        if (r == null) {
            throw new ServiceUnavailableException("no flight recorder: the bundle net.neighsyncd.profiling is not "
                    + "active");
        }
        return r;
    }
}
