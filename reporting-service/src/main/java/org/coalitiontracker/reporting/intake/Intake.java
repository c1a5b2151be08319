package org.coalitiontracker.reporting.intake;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.contracts.EventLogContext;
import org.coalitiontracker.contracts.RecordFailures;
import org.coalitiontracker.contracts.RecordHeaders;
import org.coalitiontracker.reporting.ReportingSettings;
import org.hibernate.JDBCException;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.DatabaseException;

/**
 * How this service takes a record into its views. A record the views can never hold fails with {@link RefusedRecord}:
 * the channel's failure strategy sends it to its dead-letter topic with the reason, and the stream goes on. A failure
 * that can succeed later (the database is away, a conflict) is retried with back-off for as long as it takes: the
 * partition waits rather than skip a record, and the wait shows in the views' freshness.
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

    Intake(MeterRegistry registry, ReportingSettings settings) {
        this.registry = registry;
        this.retry = settings.retry();
        for (String topic : new String[] { "cluster-events", "coalition-totals" }) {
            refused(topic);
        }
    }

    /** Runs the write until it succeeds or fails for good; fails for good with {@link RefusedRecord}. */
    public Uni<Void> write(ConsumerRecord<?, ?> record, Supplier<Uni<Void>> write) {
        return Uni.createFrom().deferred(write::get)
                .onFailure(failure -> !isPermanent(failure)).invoke(failure -> {
                    try (EventLogContext about = EventLogContext.of(record)) {
                        LOG.warnf("Writing %s-%d@%d failed, retrying: %s", record.topic(), record.partition(),
                                record.offset(), failure.toString());
                    }
                })
                .onFailure(failure -> !isPermanent(failure)).retry()
                .withBackOff(retry.firstBackOff(), retry.maxBackOff()).indefinitely()
                .onFailure().recoverWithUni(failure -> refuse(record, "the database refused it: "
                        + databaseReason(failure)));
    }

    /** Fails the record for its failure strategy to dead-letter it, with the reason. */
    public Uni<Void> refuse(ConsumerRecord<?, ?> record, String reason) {
        try (EventLogContext about = EventLogContext.of(record)) {
            LOG.warnf("Dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        }
        refused(record.topic()).increment();
        return Uni.createFrom().failure(new RefusedRecord(reason));
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

    private static String databaseReason(Throwable failure) {
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
