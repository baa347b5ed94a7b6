package net.neighsyncd.itests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver in the test JVM, as a collector's would be: {@code POST /v1/traces}
 * with {@code Content-Type: application/x-protobuf} (gzip or not), the body decoded as the real
 * wire protocol with the protocol's own generated classes ({@code ExportTraceServiceRequest} of
 * {@code io.opentelemetry.proto:opentelemetry-proto}), answered {@code 200} with an empty {@code
 * ExportTraceServiceResponse}. Anything else is refused ({@code 404}, {@code 405}, {@code 415},
 * {@code 400}) and remembered, so a test can show that nothing malformed arrived. Listens on
 * 127.0.0.1, on a free port.
 */
final class OtlpHttpReceiver implements AutoCloseable {
    static final String PATH = "/v1/traces";

    /** One received span with the service.name of its resource and ids in hex. */
    record ReceivedSpan(String serviceName, Span span) {
        String name() {
            return span.getName();
        }

        String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        /** Empty for a root span. */
        String parentSpanId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        /** The attribute's value as text (a string, an integer, a boolean), null when absent. */
        String attribute(String key) {
            return text(span.getAttributesList(), key);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<ExportTraceServiceRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    private OtlpHttpReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static OtlpHttpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "otlp-receiver");
            t.setDaemon(true);
            return t;
        });
        OtlpHttpReceiver receiver = new OtlpHttpReceiver(server, executor);
        server.createContext("/", receiver::handle);
        server.setExecutor(executor);
        server.start();
        return receiver;
    }

    /** The URL to configure as the OTLP traces endpoint. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** Every span received so far, in the order of arrival. */
    List<ReceivedSpan> spans() {
        List<ReceivedSpan> out = new ArrayList<>();
        for (ExportTraceServiceRequest r : requests) {
            for (ResourceSpans rs : r.getResourceSpansList()) {
                String service = text(rs.getResource().getAttributesList(), "service.name");
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span s : ss.getSpansList()) {
                        out.add(new ReceivedSpan(service, s));
                    }
                }
            }
        }
        return out;
    }

    /** The spans named {@code name}. */
    List<ReceivedSpan> spans(String name) {
        return spans().stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Requests refused, each as "status method path content-type". */
    List<String> refused() {
        return List.copyOf(refused);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            int refusal = !path.equals(PATH) ? 404 : !method.equals("POST") ? 405
                    : !type.startsWith("application/x-protobuf") ? 415 : 0;
            if (refusal == 0) {
                try (InputStream body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                        ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                    requests.add(ExportTraceServiceRequest.parseFrom(body));
                } catch (IOException e) {
                    refusal = 400;
                }
            }
            if (refusal != 0) {
                refused.add(refusal + " " + method + " " + path + " " + type);
                exchange.sendResponseHeaders(refusal, -1);
                return;
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    private static String text(List<KeyValue> attributes, String key) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals(key)) {
                AnyValue v = kv.getValue();
                return switch (v.getValueCase()) {
                    case STRING_VALUE -> v.getStringValue();
                    case INT_VALUE -> Long.toString(v.getIntValue());
                    case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                    case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
                    default -> v.toString();
                };
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
