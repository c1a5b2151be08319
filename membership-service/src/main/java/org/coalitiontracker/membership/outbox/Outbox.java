package org.coalitiontracker.membership.outbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * Where a change records the events it makes, inside the change's own transaction, so that an event exists if and
 * only if its change committed. {@link OutboxRelay} takes them to Kafka.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper mapper;

    Outbox(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Adds an event of a cluster to the outbox.
     *
     * @param type its CloudEvents type
     * @param schema where its data's JSON Schema is served
     * @param data what goes out as its JSON payload
     */
    public Uni<Void> record(UUID clusterId, String type, String schema, Object data) {
        OutboxEvent event = new OutboxEvent();
        event.eventId = UUID.randomUUID();
        event.clusterId = clusterId;
        event.type = type;
        event.dataSchema = schema;
        event.occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        event.traceParent = TraceParent.ofCurrentTrace();
        try {
            event.payload = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return event.persist().replaceWithVoid();
    }
}
