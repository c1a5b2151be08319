package org.coalitiontracker.contracts;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A record of {@code cluster-events} as read: the event it holds and its CloudEvents id, or why a consumer cannot
 * apply it.
 */
public record ClusterEventReading(ClusterEvent event, String eventId, String problem) {

    public static ClusterEventReading refused(String problem) {
        return new ClusterEventReading(null, null, problem);
    }

    public boolean applicable() {
        return event != null;
    }

    /**
     * This reading of a record with the given key: refused unless the key is the cluster's id, as the producer
     * writes it (its canonical text, in any case). Kafka keeps order per key, and consumers rely on a cluster's events
     * coming in order.
     */
    public ClusterEventReading keyedBy(byte[] key) {
        if (event == null || isKeyOf(key, event.clusterId())) {
            return this;
        }
        return refused("invalid " + event.getClass().getSimpleName()
                + ": the record's key must be its clusterId (consumers rely on a cluster's events keeping order)");
    }

    private static boolean isKeyOf(byte[] key, UUID clusterId) {
        if (key == null || key.length != 36) {
            return false;
        }
        for (byte b : key) {
            if (b < 0) {
                return false;
            }
        }
        try {
            return UUID.fromString(new String(key, StandardCharsets.US_ASCII)).equals(clusterId);
        } catch (IllegalArgumentException notAnId) {
            return false;
        }
    }
}
