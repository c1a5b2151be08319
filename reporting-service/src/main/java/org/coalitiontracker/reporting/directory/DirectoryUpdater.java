package org.coalitiontracker.reporting.directory;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Materializes {@code cluster-events} into the directory: each cluster's newest version. Redelivered and older
 * versions change nothing. Records it cannot read are skipped and counted (metrics-service dead-letters them).
 */
@ApplicationScoped
public class DirectoryUpdater {

    private static final Logger LOG = Logger.getLogger(DirectoryUpdater.class);

    private final ObjectMapper mapper;
    private final Counter skipped;

    DirectoryUpdater(ObjectMapper mapper, MeterRegistry registry) {
        this.mapper = mapper;
        this.skipped = Counter.builder("directory.records.skipped")
                .description("Records of cluster-events the directory could not read").register(registry);
    }

    @Incoming("cluster-events")
    @WithTransaction
    public Uni<Void> apply(ConsumerRecord<String, String> record) {
        ClusterEvent event = read(record);
        if (event == null) {
            skipped.increment();
            return Uni.createFrom().voidItem();
        }
        String eventId = header(record, "ce_id");
        return ClusterEntry.<ClusterEntry> findById(event.clusterId()).chain(entry -> {
            if (entry != null && entry.version >= event.version()) {
                return Uni.createFrom().voidItem();
            }
            ClusterEntry updated = entry != null ? entry : new ClusterEntry();
            updated.clusterId = event.clusterId();
            event.applyTo(updated);
            updated.lastEventId = eventId;
            return updated.persist().replaceWithVoid();
        });
    }

    private ClusterEvent read(ConsumerRecord<String, String> record) {
        Class<? extends ClusterEvent> type = switch (String.valueOf(header(record, "ce_type"))) {
            case ClusterEvent.ClusterJoined.TYPE -> ClusterEvent.ClusterJoined.class;
            case ClusterEvent.ClusterFiguresRevised.TYPE -> ClusterEvent.ClusterFiguresRevised.class;
            case ClusterEvent.ClusterWithdrawn.TYPE -> ClusterEvent.ClusterWithdrawn.class;
            default -> null;
        };
        try {
            ClusterEvent event = type == null || record.value() == null ? null
                    : mapper.readValue(record.value(), type);
            if (event != null && event.complete()) {
                return event;
            }
        } catch (JsonProcessingException e) {
            LOG.debugf("Unreadable: %s", e.getOriginalMessage());
        }
        LOG.warnf("Skipping %s-%d@%d: not a complete cluster event", record.topic(), record.partition(),
                record.offset());
        return null;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
