package org.coalitiontracker.metrics.totals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Keeps the coalition's running totals: applies each cluster event from {@code cluster-events} to the totals in
 * this service's database, then publishes the new totals on {@code coalition-totals}.
 */
@ApplicationScoped
public class Tally {

    private static final Logger LOG = Logger.getLogger(Tally.class);

    private final ObjectMapper mapper;
    private final MutinyEmitter<TotalsChanged> totalsOut;

    Tally(ObjectMapper mapper, @Channel("coalition-totals") MutinyEmitter<TotalsChanged> totalsOut) {
        this.mapper = mapper;
        this.totalsOut = totalsOut;
    }

    @Incoming("cluster-events")
    @WithTransaction
    public Uni<Void> apply(ConsumerRecord<String, String> record) throws IOException {
        String type = header(record, "ce_type");
        Class<? extends ClusterEvent> eventType = switch (type == null ? "" : type) {
            case ClusterEvent.ClusterJoined.TYPE -> ClusterEvent.ClusterJoined.class;
            case ClusterEvent.ClusterFiguresRevised.TYPE -> ClusterEvent.ClusterFiguresRevised.class;
            case ClusterEvent.ClusterWithdrawn.TYPE -> ClusterEvent.ClusterWithdrawn.class;
            default -> null;
        };
        if (eventType == null) {
            LOG.warnf("Skipping event of unknown type %s at %s-%d@%d", type, record.topic(), record.partition(),
                    record.offset());
            return Uni.createFrom().voidItem();
        }
        return apply(mapper.readValue(record.value(), eventType), header(record, "ce_id"));
    }

    /**
     * Moves the totals from the cluster's previous contribution to the one the event gives, unless the event is
     * not newer than the last one applied for this cluster (redelivered, replayed or stale): then nothing changes.
     */
    private Uni<Void> apply(ClusterEvent event, String eventId) {
        return ClusterContribution.<ClusterContribution> findById(event.clusterId()).chain(known -> {
            if (known != null && known.version >= event.version()) {
                return Uni.createFrom().voidItem();
            }
            ClusterContribution contribution = known != null ? known : ClusterContribution.none(event.clusterId());
            return coalitionTotals().chain(totals -> {
                totals.add(contribution, -1);
                contribution.become(event.state(), event.version(), eventId);
                totals.add(contribution, 1);
                return contribution.persistAndFlush()
                        .chain(() -> distinctCountries())
                        .chain(countries -> {
                            totals.countries = countries;
                            totals.version++;
                            totals.lastEventId = eventId;
                            // PostgreSQL keeps microseconds: publish what the database will show.
                            totals.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                            return totals.<ScopeTotals> persistAndFlush();
                        });
            }).chain(this::publish);
        });
    }

    private Uni<Void> publish(ScopeTotals totals) {
        return totalsOut.sendMessage(Message.of(TotalsChanged.of(totals))
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(totals.scope).build()));
    }

    private static Uni<ScopeTotals> coalitionTotals() {
        return ScopeTotals.<ScopeTotals> findById(ScopeTotals.COALITION, LockModeType.PESSIMISTIC_WRITE)
                .map(totals -> totals != null ? totals : ScopeTotals.empty(ScopeTotals.COALITION));
    }

    private static Uni<Long> distinctCountries() {
        return Panache.getSession().chain(session -> session
                .createSelectionQuery("select count(distinct c.country) from ClusterContribution c where c.active",
                        Long.class)
                .getSingleResult());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
