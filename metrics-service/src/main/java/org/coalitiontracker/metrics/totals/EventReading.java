package org.coalitiontracker.metrics.totals;

/**
 * A record of {@code cluster-events} as read: either the event it holds, with its CloudEvents id, or why it holds
 * none and its value as it came (then it goes to the dead-letter topic, byte for byte).
 */
record EventReading(ClusterEvent event, String eventId, byte[] unreadableValue, String problem) {

    static EventReading of(ClusterEvent event, String eventId) {
        return new EventReading(event, eventId, null, null);
    }

    static EventReading unreadable(byte[] value, String problem) {
        return new EventReading(null, null, value, problem);
    }
}
