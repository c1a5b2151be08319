package org.coalitiontracker.membership;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * Records what happens to the roster as events in the outbox, inside the caller's transaction; {@link OutboxRelay}
 * publishes them on {@code cluster-events}.
 */
@ApplicationScoped
public class ClusterEvents {

    private final ObjectMapper mapper;

    ClusterEvents(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    Uni<Void> joined(Cluster cluster) {
        return record(cluster.id, ClusterJoined.TYPE, ClusterJoined.SCHEMA, ClusterJoined.of(cluster));
    }

    Uni<Void> figuresRevised(Cluster cluster, Figures previous) {
        return record(cluster.id, ClusterFiguresRevised.TYPE, ClusterFiguresRevised.SCHEMA,
                ClusterFiguresRevised.of(cluster, previous));
    }

    Uni<Void> withdrawn(Cluster cluster) {
        return record(cluster.id, ClusterWithdrawn.TYPE, ClusterWithdrawn.SCHEMA, ClusterWithdrawn.of(cluster));
    }

    private Uni<Void> record(UUID clusterId, String type, String schema, Object data) {
        OutboxEvent event = new OutboxEvent();
        event.eventId = UUID.randomUUID();
        event.clusterId = clusterId;
        event.type = type;
        event.dataSchema = schema;
        event.occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try {
            event.payload = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return event.persist().replaceWithVoid();
    }
}
