package org.coalitiontracker.contracts;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.MDC;

import io.opentelemetry.api.trace.SpanContext;

/**
 * What a log line about one event says of it, whatever service writes it: {@code eventId}, {@code clusterId} and the
 * {@code traceId} of the event's own trace (its traceparent), in the logging context (MDC) that the services' JSON
 * logs show as fields. Open it around the lines about the event; closing it puts back what was there before.
 */
public final class EventLogContext implements AutoCloseable {

    private static final int MAX_LENGTH = 100;

    private final Map<String, Object> before = new LinkedHashMap<>();

    private EventLogContext(String eventId, String clusterId, SpanContext trace) {
        put("eventId", eventId);
        put("clusterId", clusterId);
        put("traceId", trace.isValid() ? trace.getTraceId() : null);
    }

    /** The event a record of a topic carries: ce_id, ce_subject (or else the key) and traceparent headers. */
    public static EventLogContext of(ConsumerRecord<?, ?> record) {
        String clusterId = RecordHeaders.text(record.headers(), "ce_subject");
        if (clusterId == null && record.key() instanceof byte[] key) {
            clusterId = new String(key, StandardCharsets.UTF_8);
        }
        return new EventLogContext(RecordHeaders.text(record.headers(), "ce_id"), clusterId,
                TraceParent.span(record.headers()));
    }

    /** An event as its producer knows it, with the traceparent of its trace (or null). */
    public static EventLogContext of(String eventId, String clusterId, String traceParent) {
        return new EventLogContext(eventId, clusterId, TraceParent.span(traceParent));
    }

    /** Puts a value (a hostile record's header cut to a reasonable length) in the MDC, keeping what was there. */
    private void put(String key, String value) {
        before.put(key, MDC.get(key));
        value = value == null || value.length() <= MAX_LENGTH ? value : value.substring(0, MAX_LENGTH) + "…";
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        before.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
