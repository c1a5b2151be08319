package org.coalitiontracker.metrics.totals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The span of one batch of {@code cluster-events}. A batch applies many changes, each with a trace of its own, so it
 * links to every record's trace (its {@code traceparent} header) rather than continuing one; the totals it publishes
 * continue the batch's. The connector's own per-record tracing stays off for speed (application.properties).
 */
@ApplicationScoped
public class BatchTraces {

    private static final AttributeKey<Long> RECORDS = AttributeKey.longKey("messaging.batch.message_count");
    private static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("coalition.event.id");
    private static final TextMapGetter<ConsumerRecord<?, ?>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ConsumerRecord<?, ?> record) {
            return Set.of("traceparent");
        }

        @Override
        public String get(ConsumerRecord<?, ?> record, String key) {
            Header header = record == null ? null : record.headers().lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final Tracer tracer;

    BatchTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Starts the batch's span, linked to the trace of each record that carries one. */
    Span start(List<ConsumerRecord<byte[], EventReading>> records) {
        Span batch = tracer.spanBuilder("cluster-events apply").setSpanKind(SpanKind.CONSUMER)
                .setAttribute(RECORDS, (long) records.size()).startSpan();
        // With tracing off the span is a no-op: no header is read.
        if (batch.getSpanContext().isValid()) {
            for (ConsumerRecord<byte[], EventReading> record : records) {
                SpanContext change = Span.fromContext(W3CTraceContextPropagator.getInstance()
                        .extract(Context.root(), record, HEADERS)).getSpanContext();
                if (change.isValid()) {
                    batch.addLink(change, record.value() == null || record.value().eventId() == null ? Attributes.empty()
                            : Attributes.of(EVENT_ID, record.value().eventId()));
                }
            }
        }
        return batch;
    }
}
