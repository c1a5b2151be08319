package org.coalitiontracker.metrics.totals;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.coalitiontracker.contracts.ClusterEventReader;
import org.coalitiontracker.contracts.ClusterEventReading;
import org.coalitiontracker.contracts.HeadersTakenOut;
import org.coalitiontracker.contracts.RecordHeaders;

/**
 * Reads the records of {@code cluster-events} as the Kafka consumer takes them in, on its own thread, so that
 * parsing the next batch overlaps with applying the current one (a fifth of the service's work at full speed). It
 * parses the bytes as they came, with no String in between, and never fails: a record it cannot read becomes an
 * {@link EventReading} that says why. The key is checked later, by {@link Tally}: a value deserializer never sees it.
 */
public class EventReader implements Deserializer<EventReading> {

    private static final ClusterEventReader READER = new ClusterEventReader();
    private final HeadersTakenOut taken = new HeadersTakenOut();

    @Override
    public EventReading deserialize(String topic, byte[] data) {
        return new EventReading(ClusterEventReading.refused("no ce_type header"), null, data, System.nanoTime());
    }

    @Override
    public EventReading deserialize(String topic, Headers headers, byte[] data) {
        taken.takeOut(headers);
        return read(headers, data);
    }

    /** Reads a record; also one without a value, which Kafka hands over without calling the deserializer. */
    static EventReading read(Headers headers, byte[] data) {
        return new EventReading(READER.read(RecordHeaders.text(headers, "ce_type"), RecordHeaders.text(headers, "ce_id"), data),
                RecordHeaders.text(headers, "ce_time"), data, System.nanoTime());
    }
}
