package org.coalitiontracker.metrics.totals;

/**
 * A record of {@code cluster-events} as read: its text as it came, and either the event it holds or why it holds
 * none (then it goes to the dead-letter topic, as it came).
 */
record EventReading(String text, ClusterEvent event, String problem) {

    static EventReading of(String text, ClusterEvent event) {
        return new EventReading(text, event, null);
    }

    static EventReading unreadable(String text, String problem) {
        return new EventReading(text, null, problem);
    }
}
