package org.coalitiontracker.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * An OTLP/HTTP receiver, as an OpenTelemetry Collector would be: the services export their spans to it (protobuf over
 * HTTP), and a test reads them back as {@link Recorded} spans.
 */
final class TraceCollector implements AutoCloseable {

    /** A span as exported: ids in hex, the service that made it, its attributes and links as text. */
    record Recorded(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
            Map<String, String> attributes, List<Link> links) {
    }

    /** A link from a span to another trace's span. */
    record Link(String traceId, String spanId, Map<String, String> attributes) {
    }

    private static final HexFormat HEX = HexFormat.of();

    private final HttpServer server;
    private final List<Recorded> spans = new CopyOnWriteArrayList<>();
    private final List<Exception> unreadable = new CopyOnWriteArrayList<>();

    private TraceCollector(HttpServer server) {
        this.server = server;
    }

    static TraceCollector start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            TraceCollector collector = new TraceCollector(server);
            // Every path: OTLP/HTTP posts traces to /v1/traces under the endpoint, and only traces are exported.
            server.createContext("/", collector::receive);
            server.start();
            return collector;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the services set OTEL_EXPORTER_OTLP_ENDPOINT to. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every span received so far; fails if an export could not be read. */
    List<Recorded> spans() {
        if (!unreadable.isEmpty()) {
            throw new IllegalStateException("an export could not be read", unreadable.get(0));
        }
        return List.copyOf(spans);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try {
            read(exchange);
        } catch (IOException | RuntimeException | LinkageError e) {
            unreadable.add(e instanceof Exception exception ? exception : new IllegalStateException(e));
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
            return;
        }
        byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private void read(HttpExchange exchange) throws IOException {
        try (InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                ? new GZIPInputStream(exchange.getRequestBody())
                : exchange.getRequestBody()) {
            for (ResourceSpans resource : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
                String service = text(resource.getResource().getAttributesList()).get("service.name");
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    scope.getSpansList().forEach(span -> spans.add(recorded(service, span)));
                }
            }
        }
    }

    private static Recorded recorded(String service, Span span) {
        return new Recorded(service, HEX.formatHex(span.getTraceId().toByteArray()),
                HEX.formatHex(span.getSpanId().toByteArray()), HEX.formatHex(span.getParentSpanId().toByteArray()),
                span.getName(), span.getKind().name(), text(span.getAttributesList()),
                span.getLinksList().stream().map(link -> new Link(HEX.formatHex(link.getTraceId().toByteArray()),
                        HEX.formatHex(link.getSpanId().toByteArray()), text(link.getAttributesList()))).toList());
    }

    private static Map<String, String> text(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, attribute -> switch (attribute
                .getValue().getValueCase()) {
            case INT_VALUE -> String.valueOf(attribute.getValue().getIntValue());
            case BOOL_VALUE -> String.valueOf(attribute.getValue().getBoolValue());
            case DOUBLE_VALUE -> String.valueOf(attribute.getValue().getDoubleValue());
            default -> attribute.getValue().getStringValue();
        }, (first, last) -> last));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
