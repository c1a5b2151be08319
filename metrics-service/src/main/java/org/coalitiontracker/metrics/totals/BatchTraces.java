package org.coalitiontracker.metrics.totals;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.contracts.TraceParent;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * The span of one batch of {@code cluster-events}. A batch applies many changes, each with a trace of its own, so it
 * links to every record's trace (its {@code traceparent} header) rather than continuing one; the totals it publishes
 * continue the batch's. The connector's own per-record tracing stays off for speed (application.properties).
 * <p>
 * A span holds at most {@code quarkus.otel.span.link.count.limit} links (128 by default) and drops the rest silently,
 * while a batch holds up to {@code METRICS_MAX_BATCH} records: the links beyond the limit go on child spans of the
 * batch ("cluster-events apply links"), so that every record's trace is linked, however large the batch.
 * <p>
 * A link carries no attributes: the span it points at (the relay's send) is the child of the event's
 * {@code outbox record} span, which names the event and the cluster. With the two ids on each link, tracing cost
 * metrics-service a fifth or more of its events/s in {@code benchmarks/totals-throughput.sh} (the links made most of
 * what was exported); without them, within the 10 % the tracing may cost.
 */
@ApplicationScoped
public class BatchTraces {

    private static final AttributeKey<Long> RECORDS = AttributeKey.longKey("messaging.batch.message_count");

    private final Tracer tracer;
    private final int linksPerSpan;

    BatchTraces(Tracer tracer,
            @ConfigProperty(name = "quarkus.otel.span.link.count.limit", defaultValue = "128") int linksPerSpan) {
        this.tracer = tracer;
        this.linksPerSpan = linksPerSpan;
    }

    /** Starts the batch's span, linked (itself or through its children) to the trace of each record that has one. */
    Span start(List<ConsumerRecord<byte[], EventReading>> records) {
        Span batch = tracer.spanBuilder("cluster-events apply").setSpanKind(SpanKind.CONSUMER)
                .setAttribute(RECORDS, (long) records.size()).startSpan();
        // With tracing off (or this batch not sampled) no link would be kept: no header is read. A no-op span can
        // still carry a valid context, its parent's, so only whether it records says so.
        if (!batch.isRecording()) {
            return batch;
        }
        Span linking = batch;
        int links = 0;
        for (ConsumerRecord<byte[], EventReading> record : records) {
            SpanContext change = TraceParent.span(record.headers());
            if (!change.isValid()) {
                continue;
            }
            if (links > 0 && links % linksPerSpan == 0) {
                if (linking != batch) {
                    linking.end();
                }
                linking = tracer.spanBuilder("cluster-events apply links").setParent(Context.root().with(batch))
                        .startSpan();
            }
            linking.addLink(change);
            links++;
        }
        if (linking != batch) {
            linking.end();
        }
        return batch;
    }
}
