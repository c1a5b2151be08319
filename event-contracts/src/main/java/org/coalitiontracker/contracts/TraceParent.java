package org.coalitiontracker.contracts;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * A trace's W3C {@code traceparent}, as the records of every topic carry it in a header of that name: membership-service
 * keeps it in the outbox from a change to the send of its event (later, in another transaction), and the consumers
 * continue or link to the trace it names. A missing or malformed one names no trace; it never stops a consumer.
 */
public final class TraceParent {

    public static final String HEADER = "traceparent";
    private static final TextMapGetter<String> STORED = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String traceParent) {
            return Set.of(HEADER);
        }

        @Override
        public String get(String traceParent, String key) {
            return HEADER.equals(key) ? traceParent : null;
        }
    };

    private TraceParent() {
    }

    /** The current trace's traceparent, or null when there is none (tracing is off). */
    public static String ofCurrentTrace() {
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.get(HEADER);
    }

    /** The context of the trace a stored traceparent names: the root context if it names none. */
    public static Context context(String traceParent) {
        return traceParent == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceParent, STORED);
    }

    /** The context of the trace a record's traceparent header names: the root context if it names none. */
    public static Context context(Headers headers) {
        return context(RecordHeaders.text(headers, HEADER));
    }

    /** The span a record's traceparent header names, invalid if it names none. */
    public static SpanContext span(Headers headers) {
        return Span.fromContext(context(headers)).getSpanContext();
    }

    /** The span a stored traceparent names, invalid if it names none. */
    public static SpanContext span(String traceParent) {
        return Span.fromContext(context(traceParent)).getSpanContext();
    }
}
