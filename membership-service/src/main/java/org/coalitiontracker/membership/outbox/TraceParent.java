package org.coalitiontracker.membership.outbox;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * A trace's W3C {@code traceparent}, as the outbox keeps it from a change to the send of its event, which runs later
 * in another transaction: the send then continues the change's trace.
 */
final class TraceParent {

    private static final String HEADER = "traceparent";
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
    static String ofCurrentTrace() {
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.get(HEADER);
    }

    /** The context of the trace a stored traceparent names. */
    static Context context(String traceParent) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceParent, STORED);
    }
}
