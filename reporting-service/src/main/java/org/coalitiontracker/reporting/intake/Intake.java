package org.coalitiontracker.reporting.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.contracts.EventLogContext;
import org.coalitiontracker.contracts.RecordFailures;
import org.coalitiontracker.contracts.RecordHeaders;
import org.coalitiontracker.contracts.RecordsInHand;
import org.coalitiontracker.reporting.ReportingSettings;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * How this service takes a record into its views. Both topics come in batches, a poll's records written in one
 * transaction. A record the views can never hold goes to its dead-letter topic with the reason, alone, and the stream
 * goes on: what the event contracts' rule refuses before the database sees it, and what the database refuses for good,
 * found by writing the batch again by halves ({@link #writtenByHalves}). A failure that can succeed later (the database
 * is away, a conflict) is retried with back-off for as long as it takes: the partition waits rather than skip a record,
 * and the wait shows: {@link #oldestWrite()} on the gauge {@code views_oldest_write_age_seconds} and in the totals'
 * freshness.
 * <p>
 * Created at start, so that its counters show 0 before the first refusal rather than nothing (alerts on their
 * increase need the series to exist).
 */
@Startup
@ApplicationScoped
public class Intake implements RecordsInHand {

    private static final Logger LOG = Logger.getLogger(Intake.class);

    private final MeterRegistry registry;
    private final ReportingSettings.Retry retry;
    /** Each topic's dead-letter topic, by the topic's name. */
    private final Map<String, MutinyEmitter<byte[]>> deadLetters;
    /** Each write under way, retries and all, keyed by the write itself. */
    private final Map<Object, Write> writesUnderWay = new ConcurrentHashMap<>();

    /**
     * A write under way: when it began, by the clock (to tell people) and by {@link System#nanoTime()} (to time it),
     * and whether it has failed and is being retried, or is still on its first try (a long one, or one that waits for
     * a lock).
     */
    public static final class Write {

        private final Instant began = Instant.now();
        private final long beganNanos = System.nanoTime();
        private volatile boolean retried;

        public Instant began() {
            return began;
        }

        public Duration age() {
            return Duration.ofNanos(System.nanoTime() - beganNanos);
        }

        public boolean retried() {
            return retried;
        }
    }

    Intake(MeterRegistry registry, ReportingSettings settings,
            @Channel("cluster-events-dlq") MutinyEmitter<byte[]> refusedClusterEvents,
            @Channel("coalition-totals-dlq") MutinyEmitter<byte[]> refusedTotals) {
        this.registry = registry;
        this.retry = settings.retry();
        this.deadLetters = Map.of("cluster-events", refusedClusterEvents, "coalition-totals", refusedTotals);
        deadLetters.keySet().forEach(this::refused);
        Gauge.builder("views.oldest.write.age", this, intake -> {
            Write oldest = intake.oldestWrite();
            return oldest == null ? 0 : oldest.age().toMillis() / 1000.0;
        }).description("How long the oldest write of the views (to the database, or to a dead-letter topic) has been "
                + "under way, retries included; 0 when none is").baseUnit("seconds").register(registry);
    }

    /**
     * The oldest write under way, or null if none is. A write that has waited long (the database away, read-only or
     * locked; the broker away) is a stall: every record after it on its partition waits too.
     */
    public Write oldestWrite() {
        return writesUnderWay.values().stream().min(Comparator.comparingLong(write -> write.beganNanos))
                .orElse(null);
    }

    @Override
    public boolean any() {
        return !writesUnderWay.isEmpty();
    }

    /**
     * The write, counted among those under way from its subscription to its end, whatever that is; it marks its
     * {@link Write} when it retries.
     */
    private <T> Uni<T> underWay(Function<Write, Uni<T>> write) {
        return Uni.createFrom().deferred(() -> {
            Object key = new Object();
            Write underWay = new Write();
            writesUnderWay.put(key, underWay);
            return write.apply(underWay).onTermination().invoke(() -> writesUnderWay.remove(key));
        });
    }

    /**
     * Writes the items together, retrying failures that can pass. Should the database refuse them for good (a value it
     * cannot hold, which the contract's rule exists to keep out), writes them again by halves, each half on its own,
     * down to the items it refuses alone: those go to {@code refuse} with the database's reason.
     *
     * @param what what the items are, for the log
     */
    public <T> Uni<Void> writtenByHalves(List<T> items, Function<List<T>, Uni<Void>> write,
            BiFunction<T, String, Uni<Void>> refuse, String what) {
        if (items.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return retried(() -> write.apply(items), failure -> LOG.warnf("Writing %d %s failed, retrying: %s",
                items.size(), what, failure.toString()))
                .onFailure().recoverWithUni(failure -> {
                    String reason = RecordFailures.databaseReason(failure);
                    if (items.size() == 1) {
                        return refuse.apply(items.get(0), "the database refused it: " + reason);
                    }
                    LOG.warnf("The database refused %d %s for good (%s); writing them by halves to find which",
                            items.size(), what, reason);
                    int half = items.size() / 2;
                    return writtenByHalves(items.subList(0, half), write, refuse, what)
                            .chain(() -> writtenByHalves(items.subList(half, items.size()), write, refuse, what));
                });
    }

    /**
     * Runs the write until it succeeds or fails for good, and then with that failure; tells {@code retrying} of each
     * failure it retries.
     */
    public <T> Uni<T> retried(Supplier<Uni<T>> write, Consumer<Throwable> retrying) {
        return underWay(underWay -> Uni.createFrom().deferred(write::get)
                .onFailure(failure -> !RecordFailures.isPermanent(failure)).invoke(failure -> {
                    underWay.retried = true;
                    retrying.accept(failure);
                })
                .onFailure(failure -> !RecordFailures.isPermanent(failure)).retry()
                .withBackOff(retry.firstBackOff(), retry.maxBackOff()).indefinitely());
    }

    /**
     * Sends a record to its topic's dead-letter topic as it came, with the reason in its headers; tries again until the
     * broker has it. Its span ends as an error that says why.
     */
    public Uni<Void> deadLetter(ConsumerRecord<byte[], byte[]> record, Span span, String reason) {
        span.setStatus(StatusCode.ERROR, reason);
        return deadLetter(record, reason).eventually(() -> span.end());
    }

    private Uni<Void> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        return underWay(underWay -> Uni.createFrom()
                .deferred(() -> deadLetters.get(record.topic()).sendMessage(deadLettered(record, reason)))
                .onFailure().invoke(failure -> {
                    underWay.retried = true;
                    LOG.warnf("Dead-lettering %s-%d@%d failed, retrying: %s", record.topic(), record.partition(),
                            record.offset(), failure.toString());
                })
                .onFailure().retry().withBackOff(retry.firstBackOff(), retry.maxBackOff()).indefinitely())
                .invoke(() -> refused(record, reason));
    }

    /** The record as it came, with the reason in its headers (made for each try). */
    private static Message<byte[]> deadLettered(ConsumerRecord<byte[], byte[]> record, String reason) {
        return Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<byte[]> builder()
                .withKey(record.key()).withHeaders(RecordHeaders.deadLetter(record, reason)).build());
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
}
