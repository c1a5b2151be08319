package org.coalitiontracker.metrics.totals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
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
    private final DeadLetters deadLetters;

    Tally(ObjectMapper mapper, @Channel("coalition-totals") MutinyEmitter<TotalsChanged> totalsOut,
            DeadLetters deadLetters) {
        this.mapper = mapper;
        this.totalsOut = totalsOut;
        this.deadLetters = deadLetters;
    }

    /**
     * Applies one record of {@code cluster-events}. A record that can never be applied (not JSON, an unknown type,
     * missing or impossible fields) goes to the dead-letter topic and the stream goes on. A failure to apply a good
     * one (the database is down, say) is retried with back-off until it succeeds: the partition waits rather than
     * skipping or losing an event.
     */
    @Incoming("cluster-events")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        ClusterEvent event;
        try {
            event = read(record);
        } catch (PoisonRecord poison) {
            return deadLetters.send(record, poison.getMessage());
        }
        String eventId = header(record, "ce_id");
        return Panache.withTransaction(() -> apply(event, eventId))
                .onFailure().invoke(failure -> LOG.warnf("Applying %s-%d@%d failed, retrying: %s", record.topic(),
                        record.partition(), record.offset(), failure.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    private ClusterEvent read(ConsumerRecord<String, String> record) {
        String type = header(record, "ce_type");
        Class<? extends ClusterEvent> eventType = switch (type == null ? "" : type) {
            case ClusterEvent.ClusterJoined.TYPE -> ClusterEvent.ClusterJoined.class;
            case ClusterEvent.ClusterFiguresRevised.TYPE -> ClusterEvent.ClusterFiguresRevised.class;
            case ClusterEvent.ClusterWithdrawn.TYPE -> ClusterEvent.ClusterWithdrawn.class;
            default -> throw new PoisonRecord("unknown event type (ce_type " + type + ")");
        };
        ClusterEvent event;
        try {
            event = mapper.readValue(record.value() == null ? "" : record.value(), eventType);
        } catch (JsonProcessingException e) {
            throw new PoisonRecord("not a readable " + eventType.getSimpleName() + ": " + e.getOriginalMessage());
        }
        String problem = event.problem();
        if (problem != null) {
            throw new PoisonRecord("invalid " + eventType.getSimpleName() + ": " + problem);
        }
        return event;
    }

    /** A record that no retry can apply. */
    private static final class PoisonRecord extends RuntimeException {
        PoisonRecord(String reason) {
            super(reason, null, false, false);
        }
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
                String countedBefore = contribution.active ? contribution.country : null;
                totals.add(contribution, -1);
                contribution.become(event.state(), event.version(), eventId);
                totals.add(contribution, 1);
                String countedAfter = contribution.active ? contribution.country : null;
                // Only a join, a withdrawal or a move can change the set of countries; a revision cannot.
                boolean sameCountries = Objects.equals(countedBefore, countedAfter);
                return contribution.persistAndFlush()
                        .chain(() -> sameCountries ? Uni.createFrom().item(totals.countries) : distinctCountries())
                        .chain(count -> {
                            totals.countries = count;
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
