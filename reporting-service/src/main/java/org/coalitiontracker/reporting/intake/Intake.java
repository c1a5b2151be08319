package org.coalitiontracker.reporting.intake;

import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.contracts.EventLogContext;
import org.coalitiontracker.contracts.RecordFailures;
import org.coalitiontracker.contracts.RecordHeaders;
import org.coalitiontracker.reporting.ReportingSettings;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.JDBCException;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.sqlclient.DatabaseException;

/**
 * How this service takes a record into its views. A record the views can never hold goes to its dead-letter topic with
 * the reason, and the stream goes on: on {@code coalition-totals} it fails with {@link RefusedRecord} for the channel's
 * failure strategy to send it; {@code cluster-events} comes in batches, so this sends its refused records itself
 * ({@link #deadLetter}). A failure that can succeed later (the database is away, a conflict) is retried with back-off
 * for as long as it takes: the partition waits rather than skip a record, and the wait shows in the views' freshness.
 * <p>
 * Created at start, so that its counters show 0 before the first refusal rather than nothing (alerts on their
 * increase need the series to exist).
 */
@Startup
@ApplicationScoped
public class Intake {

    private static final Logger LOG = Logger.getLogger(Intake.class);

    private final MeterRegistry registry;
    private final ReportingSettings.Retry retry;
    private final MutinyEmitter<byte[]> refusedClusterEvents;

    Intake(MeterRegistry registry, ReportingSettings settings,
            @Channel("cluster-events-dlq") MutinyEmitter<byte[]> refusedClusterEvents) {
        this.registry = registry;
        this.retry = settings.retry();
        this.refusedClusterEvents = refusedClusterEvents;
        for (String topic : new String[] { "cluster-events", "coalition-totals" }) {
            refused(topic);
        }
    }

    /** Runs the write until it succeeds or fails for good; fails for good with {@link RefusedRecord}. */
    public Uni<Void> write(ConsumerRecord<?, ?> record, Supplier<Uni<Void>> write) {
        return retried(write, failure -> {
            try (EventLogContext about = EventLogContext.of(record)) {
                LOG.warnf("Writing %s-%d@%d failed, retrying: %s", record.topic(), record.partition(),
                        record.offset(), failure.toString());
            }
        }).onFailure().recoverWithUni(failure -> refuse(record, "the database refused it: " + databaseReason(failure)));
    }

    /**
     * Runs the write until it succeeds or fails for good, and then with that failure; tells {@code retrying} of each
     * failure it retries.
     */
    public <T> Uni<T> retried(Supplier<Uni<T>> write, Consumer<Throwable> retrying) {
        return Uni.createFrom().deferred(write::get)
                .onFailure(failure -> !isPermanent(failure)).invoke(retrying)
                .onFailure(failure -> !isPermanent(failure)).retry()
                .withBackOff(retry.firstBackOff(), retry.maxBackOff()).indefinitely();
    }

    /** Fails the record for its failure strategy to dead-letter it, with the reason. */
    public Uni<Void> refuse(ConsumerRecord<?, ?> record, String reason) {
        refused(record, reason);
        return Uni.createFrom().failure(new RefusedRecord(reason));
    }

    /**
     * Sends a record of {@code cluster-events} to its dead-letter topic as it came, with the reason in its headers;
     * tries again until the broker has it.
     */
    public Uni<Void> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        return Uni.createFrom().deferred(() -> refusedClusterEvents.sendMessage(Message.of(record.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<byte[]> builder().withKey(record.key())
                        .withHeaders(RecordHeaders.deadLetter(record, reason)).build())))
                .onFailure().invoke(failure -> LOG.warnf("Dead-lettering %s-%d@%d failed, retrying: %s",
                        record.topic(), record.partition(), record.offset(), failure.toString()))
                .onFailure().retry().withBackOff(retry.firstBackOff(), retry.maxBackOff()).indefinitely()
                .invoke(() -> refused(record, reason));
    }

    private void refused(ConsumerRecord<?, ?> record, String reason) {
        try (EventLogContext about = EventLogContext.of(record)) {
            LOG.warnf("Dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        }
        refused(record.topic()).increment();
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        return RecordHeaders.text(record.headers(), name);
    }

    private Counter refused(String topic) {
        return Counter.builder("records.dead.lettered").tag("topic", topic)
                .description("Records this service's views could never hold, sent to the topic's dead-letter topic")
                .register(registry);
    }

    static boolean isPermanent(Throwable failure) {
        return RecordFailures.isPermanent(failure, cause -> cause instanceof DatabaseException database
                ? database.getSqlState()
                : cause instanceof JDBCException jdbc ? jdbc.getSQLState() : null);
    }

    /** The database's own words, with its SQLSTATE, or the failure if it was not the database's. */
    public static String databaseReason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabaseException || cause instanceof JDBCException) {
                return cause.getMessage();
            }
        }
        return failure.toString();
    }

    /** A record the views can never hold; its message is the reason the dead-letter record carries. */
    public static final class RefusedRecord extends RuntimeException {
        RefusedRecord(String reason) {
            super(reason, null, false, false);
        }
    }
}
