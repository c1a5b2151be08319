package org.coalitiontracker.metrics.totals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.coalitiontracker.contracts.ClusterEventReader;
import org.coalitiontracker.contracts.ClusterEventReading;
import org.coalitiontracker.contracts.RecordHeaders;

/**
 * Reads the records of {@code cluster-events} as the Kafka consumer takes them in, on its own thread, so that
 * parsing the next batch overlaps with applying the current one (a fifth of the service's work at full speed). It
 * parses the bytes as they came, with no String in between, and never fails: a record it cannot read becomes an
 * {@link EventReading} that says why. The key is checked later, by {@link Tally}: a value deserializer never sees it.
 */
public class EventReader implements Deserializer<EventReading> {

    private static final ClusterEventReader READER = new ClusterEventReader();
    private static final int VALUES_HELD_PER_NAME = 4;

    /** The values held of each header that most records share; a deserializer serves one consumer, one thread. */
    private final Map<String, List<Header>> common = Map.of("ce_specversion", new ArrayList<>(),
            "ce_source", new ArrayList<>(), "ce_type", new ArrayList<>(), "ce_dataschema", new ArrayList<>(),
            "content-type", new ArrayList<>());

    @Override
    public EventReading deserialize(String topic, byte[] data) {
        return new EventReading(ClusterEventReading.refused("no ce_type header"), null, data, System.nanoTime());
    }

    @Override
    public EventReading deserialize(String topic, Headers headers, byte[] data) {
        share(headers);
        return read(headers, data);
    }

    /**
     * Replaces each header that is the same on most records (the spec version, the source, the content type, a type
     * and its schema) by one instance of it held here, keeping the headers' order: the records of the batch in flight
     * hold it once, not once each, and the dead-letter topic still gets them as they came. At most a few values per
     * name are held, whatever a publisher sends. In a rebuild of 300,000 clusters it took the service's GC pauses to
     * 0.85 of what they were and its peak resident memory 20 MiB lower (benchmarks/roster-growth.sh).
     */
    private void share(Headers headers) {
        Header[] all = headers.toArray();
        boolean replaced = false;
        for (int i = 0; i < all.length; i++) {
            Header held = held(all[i]);
            replaced |= held != all[i];
            all[i] = held;
        }
        if (replaced) {
            for (Header header : all) {
                headers.remove(header.key());
            }
            for (Header header : all) {
                headers.add(header);
            }
        }
    }

    private Header held(Header header) {
        List<Header> held = common.get(header.key());
        if (held == null || header.value() == null) {
            return header;
        }
        for (Header one : held) {
            if (Arrays.equals(one.value(), header.value())) {
                return one;
            }
        }
        if (held.size() < VALUES_HELD_PER_NAME) {
            // Its key and value were taken out of the response's buffer (Kafka's RecordHeader lets the slices go).
            held.add(header);
        }
        return header;
    }

    /** Reads a record; also one without a value, which Kafka hands over without calling the deserializer. */
    static EventReading read(Headers headers, byte[] data) {
        // Kafka hands each header over as slices of the whole fetch response, read lazily: taken out now, they let
        // the response's buffer go at once instead of living as long as the batch (a rebuild's peak memory fell by
        // 15-30 MiB).
        for (Header header : headers) {
            header.key();
            header.value();
        }
        return new EventReading(READER.read(RecordHeaders.text(headers, "ce_type"), RecordHeaders.text(headers, "ce_id"), data),
                RecordHeaders.text(headers, "ce_time"), data, System.nanoTime());
    }
}
