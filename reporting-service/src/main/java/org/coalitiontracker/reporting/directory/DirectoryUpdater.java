package org.coalitiontracker.reporting.directory;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.contracts.ClusterEventReader;
import org.coalitiontracker.contracts.ClusterEventReading;
import org.coalitiontracker.contracts.TraceAttributes;
import org.coalitiontracker.reporting.intake.Intake;
import org.coalitiontracker.reporting.intake.RecordSpans;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.opentelemetry.api.trace.Span;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Materializes {@code cluster-events} into the directory: each cluster's newest version, and every version it had.
 * Redelivered and older versions change no entry. What the event contracts' rule refuses (metrics-service refuses the same)
 * goes to
 * {@code cluster-events.reporting.dlq} with the reason, and the directory goes on.
 */
@ApplicationScoped
public class DirectoryUpdater {

    private static final ClusterEventReader READER = new ClusterEventReader();

    private final Intake intake;
    private final RecordSpans spans;

    DirectoryUpdater(Intake intake, RecordSpans spans) {
        this.intake = intake;
        this.spans = spans;
    }

    @Incoming("cluster-events")
    public Uni<Void> apply(ConsumerRecord<byte[], byte[]> record) {
        Span span = spans.start("cluster-events directory update", record);
        ClusterEventReading reading = READER.read(record.key(), Intake.header(record, "ce_type"),
                Intake.header(record, "ce_id"), record.value());
        if (reading.eventId() != null) {
            span.setAttribute(TraceAttributes.EVENT_ID, reading.eventId());
        }
        if (!reading.applicable()) {
            return spans.endWith(span, intake.refuse(record, reading.problem()));
        }
        span.setAttribute(TraceAttributes.CLUSTER_ID, reading.event().clusterId().toString());
        // Every version is kept, whatever the order it arrives in; the entry takes only a newer one.
        return spans.endWith(span, intake.write(record, () -> Panache.withTransaction(() -> ClusterVersion
                .record(reading.event(),
                        reading.eventId(), Intake.header(record, "ce_time"))
                .chain(
                        () -> ClusterEntry
                                .<ClusterEntry> findById(reading.event().clusterId()))
                .chain(entry -> {
                    if (entry != null && entry.version >= reading.event().version()) {
                        return Uni.createFrom().voidItem();
                    }
                    ClusterEntry updated = entry != null ? entry : new ClusterEntry();
                    updated.apply(reading.event(), reading.eventId());
                    return updated.persist().replaceWithVoid();
                }))));
    }
}
