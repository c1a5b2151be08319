package org.coalitiontracker.reporting.coalition;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

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
 * before a client subscribes is in {@link #since(long)}; {@link #changed()} signals what it reads after.
 * <p>
 * Changes are numbered in the order this replica reads them (their arrival), and a stream client is sent what
 * arrived after what it was sent last. Not by version: the topic is keyed by scope, so a join's scopes travel on
 * several partitions, and a poll may bring a scope's change after a newer version of another. A client that had been
 * sent the newer one would never have been sent it.
 */
@ApplicationScoped
public class LiveTotals {

    /** The scope of the whole coalition's totals. */
    static final String COALITION = "coalition";

    private static final Logger LOG = Logger.getLogger(LiveTotals.class);

    /**
     * The newest totals of a scope and their arrival, with their server-sent event, written once for every stream
     * client when one is first sent it: most changes read in a replay are replaced before any client is, and writing
     * each event as it was read took a twelfth of the service's CPU in a rebuild.
     */
    private final class Change {

        private final TotalsChanged totals;
        private final long arrival;
        private volatile byte[] event;

        Change(TotalsChanged totals, long arrival) {
            this.totals = totals;
            this.arrival = arrival;
        }

        TotalsChanged totals() {
            return totals;
        }

        long arrival() {
            return arrival;
        }

        /** Two threads may both write it, the same bytes: cheaper than a lock on every read. */
        byte[] event() {
            byte[] written = event;
            if (written == null) {
                written = CoalitionStream.event("totals", String.valueOf(totals.version()), json, totals);
                event = written;
            }
            return written;
        }
    }

    /**
     * What a stream client is sent next: the totals that arrived after what it was sent last and their events, as one
     * write; and the arrival it has been sent up to once it has them.
     */
    record Newer(List<TotalsChanged> totals, Buffer events, long upTo) {

        boolean isEmpty() {
            return totals.isEmpty();
        }
    }

    /** The last answer of {@link #newerThan(long)}: what arrived after one arrival, up to another. */
    private record Answer(long after, long upTo, Newer newer) {
    }

    private final BroadcastProcessor<Long> changed = BroadcastProcessor.create();
    private final Map<String, Change> newest = new ConcurrentHashMap<>();
    /** The same newest totals by arrival, so that a stream client finds what it has not been sent yet. */
    private final NavigableMap<Long, Change> byArrival = new ConcurrentSkipListMap<>();
    /** The last arrival numbered, by {@link #remember}. */
    private long arrivals;
    /** The last arrival in byArrival, with the older change of its scope gone: what clients may be sent up to. */
    private volatile long arrived;
    /**
     * The stream's clients are nearly all sent the same, after the same arrival: with thousands of them, one answer
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
     * join changes several scopes at once, and they mostly come in one poll: the stream's clients are told once per
     * poll, so that each gets them in one write.
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

    /** The newest version of each poll's changes from now on; what arrived is in {@link #newerThan(long)}. */
    Multi<Long> changed() {
        return changed;
    }

    /** The newest totals of each scope that arrived after the given arrival, in the order they arrived. */
    Newer newerThan(long after) {
        long upTo = arrived;
        Answer last = lastAnswer;
        if (last != null && last.after() == after && last.upTo() == upTo) {
            return last.newer();
        }
        Newer newer = newer(byArrival.subMap(after, false, upTo, true).values(), Long.MIN_VALUE, upTo);
        lastAnswer = new Answer(after, upTo, newer);
        return newer;
    }

    /**
     * For a client that connects: the newest totals of each scope whose version is above the given one (its
     * Last-Event-ID, which may come from another replica; 0 for all of them).
     */
    Newer since(long version) {
        if (version == 0) {
            return newerThan(0);
        }
        long upTo = arrived;
        return newer(byArrival.headMap(upTo, true).values(), version, upTo);
    }

    private static Newer newer(Iterable<Change> changes, long aboveVersion, long upTo) {
        List<TotalsChanged> totals = new ArrayList<>();
        Buffer events = Buffer.buffer();
        for (Change change : changes) {
            if (change.totals().version() > aboveVersion) {
                totals.add(change.totals());
                events.appendBytes(change.event());
            }
        }
        return new Newer(List.copyOf(totals), events, upTo);
    }

    /** The newest totals of one scope, or null if there are none yet. */
    TotalsChanged newest(String scope) {
        Change change = newest.get(scope);
        return change == null ? null : change.totals();
    }

    /**
     * The newest totals of every scope of a kind (country, region, sector, cohort), those whose clusters have all left
     * included.
     */
    List<TotalsChanged> newestOfKind(String kind) {
        String prefix = kind + ":";
        List<TotalsChanged> scopes = new ArrayList<>();
        for (Change change : newest.values()) {
            if (change.totals().scope().startsWith(prefix)) {
                scopes.add(change.totals());
            }
        }
        return scopes;
    }

    /**
     * Starts from the views, so that until the stream has read the topic again this replica knows at least what they
     * hold: GET /coalition and its breakdowns are then answered from memory, not from the database.
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

    /**
     * Synchronized, as the seed at start-up and the topic's reader may both remember: arrivals are then put in their
     * order, and a client sent up to one has been sent all before it.
     */
    private synchronized void remember(TotalsChanged change) {
        Change known = newest.get(change.scope());
        if (known != null && known.totals().version() >= change.version()) {
            return;
        }
        Change arrival = new Change(change, ++arrivals);
        newest.put(change.scope(), arrival);
        // Added before the older one goes: a client reading meanwhile may get both, never neither.
        byArrival.put(arrival.arrival(), arrival);
        if (known != null) {
            byArrival.remove(known.arrival());
        }
        arrived = arrival.arrival();
    }

}
