package org.coalitiontracker.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.coalitiontracker.localinfra.OtlpEndpoint;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * The spans the services export to an {@link OtlpEndpoint}, read back as {@link Recorded} spans for a test, as an
 * OpenTelemetry Collector would read them.
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

    private final List<Recorded> spans = new CopyOnWriteArrayList<>();
    private final OtlpEndpoint endpoint = OtlpEndpoint.start(this::read);

    private TraceCollector() {
    }

    static TraceCollector start() {
        return new TraceCollector();
    }

    /** What the services set OTEL_EXPORTER_OTLP_ENDPOINT to. */
    String endpoint() {
        return endpoint.url();
    }

    /** Every span received so far; fails if an export could not be read. */
    List<Recorded> spans() {
        if (!endpoint.failures().isEmpty()) {
            throw new IllegalStateException("an export could not be read", endpoint.failures().get(0));
        }
        return List.copyOf(spans);
    }

    private void read(InputStream body) throws IOException {
        for (ResourceSpans resource : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
            String service = text(resource.getResource().getAttributesList()).get("service.name");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                scope.getSpansList().forEach(span -> spans.add(recorded(service, span)));
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
        endpoint.close();
    }
}
