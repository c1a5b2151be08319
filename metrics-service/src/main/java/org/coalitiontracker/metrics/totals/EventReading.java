package org.coalitiontracker.metrics.totals;

import org.coalitiontracker.contracts.ClusterEvent;
import org.coalitiontracker.contracts.ClusterEventReading;

/**
 * A record of {@code cluster-events} as read: the event it holds and its id, or why a consumer cannot apply it (by
 * the one rule of the event contracts), when it happened ({@code ce_time}, as written: only the newest of a batch per
 * scope is parsed), its value as it came, for the dead-letter topic, and when the consumer took it in
 * ({@link System#nanoTime()}), from which its wait to be applied is measured.
 */
record EventReading(ClusterEventReading reading, String eventTime, byte[] value, long takenIn) {

    ClusterEvent event() {
        return reading.event();
    }

    String eventId() {
        return reading.eventId();
    }
}
