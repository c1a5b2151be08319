package org.coalitiontracker.reporting.coalition;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.coalitiontracker.contracts.MessageReader;
import org.coalitiontracker.contracts.TotalsChanged;
import org.coalitiontracker.reporting.ReportingSettings;
import org.coalitiontracker.reporting.intake.Intake;
import org.coalitiontracker.reporting.intake.RecordSpans;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Every change of the totals as this replica reads it, for the live stream. It reads {@code coalition-totals} in a
 * consumer group of its own, so that each replica pushes every change to its clients, not a share of them, and from
 * the start of the (compacted) topic, so that it also holds the newest totals of every scope: what it has read
 * before a client subscribes is in {@link #newerThan(long)}; {@link #changed()} signals what it reads after.
 */
@ApplicationScoped
public class LiveTotals {

    private static final Logger LOG = Logger.getLogger(LiveTotals.class);

    /** The newest totals of a scope with their server-sent event, written once for every stream client. */
    private record Change(TotalsChanged totals, byte[] event) {
    }

    /** What a stream client is sent next: the totals changed after a version and their events, as one write. */
    record Newer(List<TotalsChanged> totals, Buffer events) {

        boolean isEmpty() {
            return totals.isEmpty();
        }

        /** The version the client has been sent once it has these. */
        long newest() {
            return totals.get(totals.size() - 1).version();
        }
    }

    /** The last answer of {@link #newerThan(long)}, and which version and state of the totals it answered. */
    private record Answer(long after, long changes, Newer newer) {
    }

    private final BroadcastProcessor<Long> changed = BroadcastProcessor.create();
    private final Map<String, TotalsChanged> newest = new ConcurrentHashMap<>();
    /** The same newest totals by version, so that a stream client finds what it has not been sent yet. */
    private final NavigableMap<Long, Change> byVersion = new ConcurrentSkipListMap<>();
    /** How many times byVersion changed: an answer given since the last change is still right. */
    private final AtomicLong changes = new AtomicLong();
    /**
     * The stream's clients are nearly all sent the same, after the same version: with thousands of them, one answer
     * for all saves each client a walk over the changes and a copy of their events.
     */
    private volatile Answer lastAnswer;
    private final TotalsDelays delays;
    private final RecordSpans spans;
    private final ObjectMapper json;

    LiveTotals(TotalsDelays delays, RecordSpans spans, ObjectMapper json) {
        this.delays = delays;
        this.spans = spans;
        this.json = json;
    }

    /**
     * Takes what the views would take; what they refuse (and dead-letter, once, from their shared group) this stream
     * skips: every replica reads the topic, so dead-lettering here would repeat each refusal once per replica. A
     * join changes several scopes at once, and they come in one poll: the stream's clients are told once per poll,
     * so that each gets them in one write.
     */
    @Incoming("coalition-totals-live")
    void receive(ConsumerRecords<byte[], byte[]> records) {
        long newest = -1;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            MessageReader.Reading<TotalsChanged> reading = ViewUpdater.READER.read(record.key(),
                    Intake.header(record, "ce_type"), record.value());
            if (reading.problem() != null) {
                LOG.debugf("Skipping %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                        reading.problem());
                continue;
            }
            Span span = spans.start("coalition-totals push", record);
            ViewUpdater.describe(span, reading.message());
            try {
                remember(reading.message());
                delays.served(reading.message());
                newest = Math.max(newest, reading.message().version());
            } finally {
                span.end();
            }
        }
        if (newest >= 0) {
            changed.onNext(newest);
        }
    }

    /** The newest version of each poll's changes from now on; what changed is in {@link #newerThan(long)}. */
    Multi<Long> changed() {
        return changed;
    }

    /** The newest totals of each scope that changed after the given version, oldest first. */
    Newer newerThan(long version) {
        long seen = changes.get();
        Answer last = lastAnswer;
        if (last != null && last.after() == version && last.changes() == seen) {
            return last.newer();
        }
        List<TotalsChanged> totals = new ArrayList<>();
        Buffer events = Buffer.buffer();
        for (Change change : byVersion.tailMap(version, false).values()) {
            totals.add(change.totals());
            events.appendBytes(change.event());
        }
        Newer newer = new Newer(List.copyOf(totals), events);
        lastAnswer = new Answer(version, seen, newer);
        return newer;
    }

    /** The newest totals of one scope, or null if there are none yet. */
    TotalsChanged newest(String scope) {
        return newest.get(scope);
    }

    /**
     * Starts from the views, so that until the stream has read the topic again this replica knows at least what they
     * hold: GET /coalition is then answered from memory, not from the database.
     */
    void seed(@Observes StartupEvent started, Pool pool, ReportingSettings settings) {
        pool.query("SELECT scope, version, last_event_id, last_event_at, clusters, countries,"
                + " emissions_reduction_mt_per_year, jobs, gdp_usd_bn, updated_at FROM scope_view").execute()
                .await().atMost(settings.retry().databaseWait())
                .forEach(row -> remember(new TotalsChanged(row.getString("scope"), row.getLong("version"),
                        row.getString("last_event_id"), instant(row.getOffsetDateTime("last_event_at")),
                        row.getLong("clusters"), row.getLong("countries"),
                        row.getBigDecimal("emissions_reduction_mt_per_year"), row.getLong("jobs"),
                        row.getBigDecimal("gdp_usd_bn"), instant(row.getOffsetDateTime("updated_at")))));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private void remember(TotalsChanged change) {
        newest.compute(change.scope(), (scope, known) -> {
            if (known != null && known.version() >= change.version()) {
                return known;
            }
            // Added before the older one goes: a client reading meanwhile may get both, never neither.
            byVersion.put(change.version(), new Change(change, CoalitionStream.event("totals",
                    String.valueOf(change.version()), json, change)));
            if (known != null) {
                byVersion.remove(known.version());
            }
            changes.incrementAndGet();
            return change;
        });
    }

}
