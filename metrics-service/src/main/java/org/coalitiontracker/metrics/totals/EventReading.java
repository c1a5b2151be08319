package org.coalitiontracker.metrics.totals;

/**
 * A record of {@code cluster-events} as read: its text as it came, and either the event it holds, with its
 * CloudEvents id, or why it holds none (then it goes to the dead-letter topic, as it came).
 */
record EventReading(String text, ClusterEvent event, String eventId, String problem) {

    static EventReading of(String text, ClusterEvent event, String eventId) {
        return new EventReading(text, event, eventId, null);
    }

    static EventReading unreadable(String text, String problem) {
        return new EventReading(text, null, null, problem);
    }
}
