package org.coalitiontracker.contracts;

import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads a record of {@code cluster-events} (its key, its {@code ce_type} and {@code ce_id} headers and its value, as
 * bytes) into the event it holds, and applies the one rule: {@link ClusterEvent#problem()}, an event id the views can
 * store, and the cluster's id as key ({@link ClusterEventReading#keyedBy}). It never throws: what it cannot read it
 * says why. Thread-safe.
 */
public final class ClusterEventReader {

    private final ObjectReader joined = StrictJson.readerFor(ClusterJoined.class);
    private final ObjectReader revised = StrictJson.readerFor(ClusterFiguresRevised.class);
    private final ObjectReader withdrawn = StrictJson.readerFor(ClusterWithdrawn.class);

    /** Reads a whole record. */
    public ClusterEventReading read(byte[] key, String type, String eventId, byte[] value) {
        return read(type, eventId, value).keyedBy(key);
    }

    /**
     * Reads a record but for its key, which {@link ClusterEventReading#keyedBy} checks: a Kafka value deserializer
     * does not see the key.
     */
    public ClusterEventReading read(String type, String eventId, byte[] value) {
        ObjectReader reader = type == null ? null : switch (type) {
            case ClusterJoined.TYPE -> joined;
            case ClusterFiguresRevised.TYPE -> revised;
            case ClusterWithdrawn.TYPE -> withdrawn;
            default -> null;
        };
        if (reader == null) {
            return ClusterEventReading.refused("unknown event type (ce_type " + type + ")");
        }
        StrictJson.Parsed<ClusterEvent> parsed = StrictJson.parse(reader, value);
        if (parsed.problem() != null) {
            return ClusterEventReading.refused(parsed.problem());
        }
        String problem = parsed.value().problem();
        if (problem == null && !StrictJson.isEventId(eventId)) {
            problem = "ce_id must be 1 to 64 visible ASCII characters";
        }
        return problem == null ? new ClusterEventReading(parsed.value(), eventId, null)
                : ClusterEventReading.refused("invalid " + reader.getValueType().getRawClass().getSimpleName() + ": "
                        + problem);
    }
}
