package org.coalitiontracker.reporting.directory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.coalitiontracker.contracts.ClusterEvent;
import org.coalitiontracker.contracts.ClusterEventReader;
import org.coalitiontracker.contracts.ClusterEventReading;
import org.coalitiontracker.contracts.ClusterFiguresRevised;
import org.coalitiontracker.contracts.ClusterJoined;
import org.coalitiontracker.contracts.ClusterWithdrawn;
import org.coalitiontracker.contracts.Figures;
import org.coalitiontracker.contracts.TraceAttributes;
import org.coalitiontracker.reporting.intake.Intake;
import org.coalitiontracker.reporting.intake.RecordSpans;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Materializes {@code cluster-events} into the directory: each cluster's newest version, and every version it had.
 * Redelivered and older versions change no entry. A poll's records are written in one transaction, a statement for
 * all its clusters (the database keeps the timeline a statement at a time, V10), so that the directory keeps up with
 * an import or a replay of a million events. What the event contracts' rule refuses (metrics-service refuses the same),
 * and what the database refuses for good, goes to {@code cluster-events.reporting.dlq} with the reason, alone, and the
 * directory goes on.
 */
@ApplicationScoped
public class DirectoryUpdater {

    private static final ClusterEventReader READER = new ClusterEventReader();

    /**
     * One statement for a set of events, each of a different cluster: every version is kept once (a redelivered event
     * finds it kept), whatever order it arrives in, and an entry takes only a newer version. What only some events
     * carry stays as it was otherwise: the name and port from a join (the only event with a name), the figures' basis
     * from a join or a revision, the withdrawal's date from a withdrawal (the only event with one). Figures travel as
     * text, exactly.
     */
    private static final String WRITE = """
            WITH batch AS (
                SELECT * FROM unnest($1::uuid[], $2::int4[], $3::text[], $4::text[], $5::timestamptz[], $6::date[],
                    $7::date[], $8::text[], $9::int8[], $10::text[], $11::text[], $12::text[], $13::text[],
                    $14::text[], $15::text[], $16::bool[])
                AS b(cluster_id, version, change, event_id, happened_at, joined_on, withdrawn_on, emissions, jobs,
                    gdp, figures_basis, name, country, region, sectors, port_anchored)),
            kept AS (
                INSERT INTO cluster_version (cluster_id, version, change, event_id, happened_at, joined_on,
                    withdrawn_on, emissions_reduction_mt_per_year, jobs, gdp_usd_bn, figures_basis)
                SELECT cluster_id, version, change, event_id, happened_at, joined_on, withdrawn_on,
                    emissions::numeric, jobs, gdp::numeric, figures_basis
                FROM batch
                ON CONFLICT (cluster_id, version) DO NOTHING)
            INSERT INTO cluster_entry AS entry (cluster_id, version, name, country, region, sectors, port_anchored,
                joined_on, withdrawn_on, emissions_reduction_mt_per_year, jobs, gdp_usd_bn, figures_basis,
                last_event_id)
            SELECT cluster_id, version, name, country, region, string_to_array(sectors, ','), port_anchored,
                joined_on, withdrawn_on, emissions::numeric, jobs, gdp::numeric, figures_basis, event_id
            FROM batch
            ON CONFLICT (cluster_id) DO UPDATE SET version = excluded.version, country = excluded.country,
                region = excluded.region, sectors = excluded.sectors, joined_on = excluded.joined_on,
                emissions_reduction_mt_per_year = excluded.emissions_reduction_mt_per_year, jobs = excluded.jobs,
                gdp_usd_bn = excluded.gdp_usd_bn, last_event_id = excluded.last_event_id,
                name = coalesce(excluded.name, entry.name),
                port_anchored = CASE WHEN excluded.name IS NULL THEN entry.port_anchored
                    ELSE excluded.port_anchored END,
                figures_basis = CASE WHEN excluded.withdrawn_on IS NULL THEN excluded.figures_basis
                    ELSE entry.figures_basis END,
                withdrawn_on = coalesce(excluded.withdrawn_on, entry.withdrawn_on)
            WHERE entry.version < excluded.version""";

    private final Intake intake;
    private final RecordSpans spans;
    private final Pool database;
    private final TimelineReplay replay;

    DirectoryUpdater(Intake intake, RecordSpans spans, Pool database, TimelineReplay replay) {
        this.intake = intake;
        this.spans = spans;
        this.database = database;
        this.replay = replay;
    }

    /** An event to write, with the span of taking in its record. */
    private record Update(ConsumerRecord<byte[], byte[]> record, ClusterEvent event, String eventId, Span span) {
    }

    @Incoming("cluster-events")
    public Uni<Void> apply(ConsumerRecords<byte[], byte[]> records) {
        List<Update> updates = new ArrayList<>(records.count());
        List<Uni<Void>> refusals = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                Span span = spans.start("cluster-events directory update", record);
                ClusterEventReading reading = READER.read(record.key(), Intake.header(record, "ce_type"),
                        Intake.header(record, "ce_id"), record.value());
                if (reading.eventId() != null) {
                    span.setAttribute(TraceAttributes.EVENT_ID, reading.eventId());
                }
                if (reading.applicable()) {
                    span.setAttribute(TraceAttributes.CLUSTER_ID, reading.event().clusterId().toString());
                    updates.add(new Update(record, reading.event(), reading.eventId(), span));
                } else {
                    refusals.add(intake.deadLetter(record, span, reading.problem()));
                }
            }
        }
        return (refusals.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(refusals).andFailFast().replaceWithVoid()).chain(() -> write(updates))
                .chain(() -> replayed(records));
    }

    /** Where each partition of the batch has been read up to, for a replay's end (after the batch committed). */
    private Uni<Void> replayed(ConsumerRecords<byte[], byte[]> records) {
        Uni<Void> read = Uni.createFrom().voidItem();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> taken = records.records(partition);
            long next = taken.get(taken.size() - 1).offset() + 1;
            read = read.chain(() -> replay.read(partition.partition(), next));
        }
        return read;
    }

    /**
     * Writes the events in one transaction; should the database refuse them for good, by halves down to the events it
     * refuses alone, which are dead-lettered with its reason.
     */
    private Uni<Void> write(List<Update> updates) {
        return intake.writtenByHalves(updates, some -> database.withTransaction(connection -> write(connection, some))
                .invoke(() -> some.forEach(update -> update.span().end())),
                (update, reason) -> intake.deadLetter(update.record(), update.span(), reason), "events to the directory");
    }

    /** A statement per round: a cluster's first event in the batch in the first, its second in the second, and so on. */
    private static Uni<Void> write(SqlConnection connection, List<Update> updates) {
        Map<UUID, Integer> seen = new HashMap<>();
        List<List<Update>> rounds = new ArrayList<>();
        for (Update update : updates) {
            int round = seen.merge(update.event().clusterId(), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(update);
        }
        Uni<Void> written = Uni.createFrom().voidItem();
        for (List<Update> round : rounds) {
            written = written.chain(() -> connection.preparedQuery(WRITE).execute(values(round)).replaceWithVoid());
        }
        return written;
    }

    /** The statement's values, an array per column ($1 to $16). */
    private static Tuple values(List<Update> updates) {
        int size = updates.size();
        UUID[] clusterIds = new UUID[size];
        Integer[] versions = new Integer[size];
        String[] changes = new String[size];
        String[] eventIds = new String[size];
        OffsetDateTime[] happenedAt = new OffsetDateTime[size];
        LocalDate[] joinedOn = new LocalDate[size];
        LocalDate[] withdrawnOn = new LocalDate[size];
        String[] emissions = new String[size];
        Long[] jobs = new Long[size];
        String[] gdp = new String[size];
        String[] figuresBasis = new String[size];
        String[] names = new String[size];
        String[] countries = new String[size];
        String[] regions = new String[size];
        String[] sectors = new String[size];
        Boolean[] portAnchored = new Boolean[size];
        for (int i = 0; i < size; i++) {
            ClusterEvent event = updates.get(i).event();
            ClusterJoined joined = event instanceof ClusterJoined join ? join : null;
            Figures figures = event.figures();
            Instant happened = ClusterVersion.instant(Intake.header(updates.get(i).record(), "ce_time"));
            clusterIds[i] = event.clusterId();
            versions[i] = event.version();
            changes[i] = joined != null ? "JOINED" : event instanceof ClusterWithdrawn ? "WITHDRAWN" : "FIGURES_REVISED";
            eventIds[i] = updates.get(i).eventId();
            happenedAt[i] = happened == null ? null : happened.atOffset(ZoneOffset.UTC);
            joinedOn[i] = event.joinedOn();
            withdrawnOn[i] = event instanceof ClusterWithdrawn withdrawn ? withdrawn.withdrawnOn() : null;
            emissions[i] = figures.emissionsReductionMtPerYear().toPlainString();
            jobs[i] = figures.jobs();
            gdp[i] = figures.gdpUsdBn().toPlainString();
            figuresBasis[i] = joined != null ? joined.figuresBasis()
                    : event instanceof ClusterFiguresRevised revised ? revised.figuresBasis() : null;
            names[i] = joined != null ? joined.name() : null;
            countries[i] = event.country();
            regions[i] = event.region();
            // The sector vocabulary's names hold no comma; a text[] per cluster cannot be unnested from a text[][].
            sectors[i] = String.join(",", event.sectors());
            portAnchored[i] = joined != null ? joined.portAnchored() : null;
        }
        return Tuple.tuple(List.of(clusterIds, versions, changes, eventIds, happenedAt, joinedOn, withdrawnOn, emissions,
                jobs, gdp, figuresBasis, names, countries, regions, sectors, portAnchored));
    }
}
