package org.coalitiontracker.metrics.totals;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.quarkus.arc.Arc;

/**
 * Reads the records of {@code cluster-events} as the Kafka consumer takes them in, on its own thread, so that
 * parsing the next batch overlaps with applying the current one (a fifth of the service's work at full speed). It
 * never fails: a record it cannot read becomes an {@link EventReading} that says why.
 */
public class EventReader implements Deserializer<EventReading> {

    private final ObjectReader joined;
    private final ObjectReader revised;
    private final ObjectReader withdrawn;

    public EventReader() {
        // Kafka makes deserializers itself; the application's ObjectMapper is the one configured for events.
        ObjectMapper mapper = Arc.container().instance(ObjectMapper.class).get();
        joined = mapper.readerFor(ClusterEvent.ClusterJoined.class);
        revised = mapper.readerFor(ClusterEvent.ClusterFiguresRevised.class);
        withdrawn = mapper.readerFor(ClusterEvent.ClusterWithdrawn.class);
    }

    @Override
    public EventReading deserialize(String topic, byte[] data) {
        return EventReading.unreadable(text(data), "no ce_type header");
    }

    @Override
    public EventReading deserialize(String topic, Headers headers, byte[] data) {
        String text = text(data);
        String type = header(headers, "ce_type");
        ObjectReader reader = switch (type == null ? "" : type) {
            case ClusterEvent.ClusterJoined.TYPE -> joined;
            case ClusterEvent.ClusterFiguresRevised.TYPE -> revised;
            case ClusterEvent.ClusterWithdrawn.TYPE -> withdrawn;
            default -> null;
        };
        if (reader == null) {
            return EventReading.unreadable(text, "unknown event type (ce_type " + type + ")");
        }
        String name = ((Class<?>) reader.getValueType().getRawClass()).getSimpleName();
        ClusterEvent event;
        try {
            event = reader.readValue(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            return EventReading.unreadable(text, "not a readable " + name + ": " + e.getOriginalMessage());
        }
        String problem = event.problem();
        return problem == null ? EventReading.of(text, event, header(headers, "ce_id"))
                : EventReading.unreadable(text, "invalid " + name + ": " + problem);
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String text(byte[] data) {
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }
}
