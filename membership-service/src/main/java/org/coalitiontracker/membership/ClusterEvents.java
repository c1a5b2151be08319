package org.coalitiontracker.membership;

import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes what happens to the roster on the {@code cluster-events} topic, keyed by cluster id. */
@ApplicationScoped
public class ClusterEvents {

    private final MutinyEmitter<ClusterJoined> emitter;

    ClusterEvents(@Channel("cluster-events") MutinyEmitter<ClusterJoined> emitter) {
        this.emitter = emitter;
    }

    /** Completes once the broker has acknowledged the event (acks=all). */
    Uni<Void> joined(Cluster cluster) {
        Message<ClusterJoined> message = Message.of(ClusterJoined.of(cluster))
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(UUID.randomUUID().toString())
                        .withType(ClusterJoined.TYPE)
                        .withSubject(cluster.id.toString())
                        .withDataSchema(URI.create(ClusterJoined.SCHEMA))
                        .withTimestamp(ZonedDateTime.now(ZoneOffset.UTC))
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(cluster.id.toString()).build());
        return emitter.sendMessage(message);
    }
}
