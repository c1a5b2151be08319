package org.coalitiontracker.reporting.directory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Materializes {@code cluster-events} into the directory: each cluster's newest version, and every version it had.
 * Redelivered and older versions change no entry. What the event contracts' rule refuses (metrics-service refuses the same)
 * goes to
 * {@code cluster-events.reporting.dlq} with the reason, and the directory goes on.
 */
@ApplicationScoped
public class DirectoryUpdater {

    private static final ClusterEventReader READER = new ClusterEventReader();

    /**
     * One statement, so one round trip and atomic without a transaction around it: every version is kept once (a
     * redelivered event finds it kept), whatever order it arrives in, and the entry takes only a newer version. What
     * only some events carry stays as it was otherwise: the name and port from a join, the figures' basis from a join
     * or a revision, the withdrawal's date from a withdrawal.
     */
    private static final String WRITE = """
            WITH kept AS (
                INSERT INTO cluster_version (cluster_id, version, change, event_id, happened_at, joined_on,
                    withdrawn_on, emissions_reduction_mt_per_year, jobs, gdp_usd_bn, figures_basis)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT (cluster_id, version) DO NOTHING)
            INSERT INTO cluster_entry AS entry (cluster_id, version, name, country, region, sectors, port_anchored,
                joined_on, withdrawn_on, emissions_reduction_mt_per_year, jobs, gdp_usd_bn, figures_basis,
                last_event_id)
            VALUES ($1, $2, $12, $13, $14, $15, $16, $6, $7, $8, $9, $10, $11, $4)
            ON CONFLICT (cluster_id) DO UPDATE SET version = excluded.version, country = excluded.country,
                region = excluded.region, sectors = excluded.sectors, joined_on = excluded.joined_on,
                emissions_reduction_mt_per_year = excluded.emissions_reduction_mt_per_year, jobs = excluded.jobs,
                gdp_usd_bn = excluded.gdp_usd_bn, last_event_id = excluded.last_event_id,
                name = CASE WHEN $3 = 'JOINED' THEN excluded.name ELSE entry.name END,
                port_anchored = CASE WHEN $3 = 'JOINED' THEN excluded.port_anchored ELSE entry.port_anchored END,
                figures_basis = CASE WHEN $3 = 'WITHDRAWN' THEN entry.figures_basis ELSE excluded.figures_basis END,
                withdrawn_on = CASE WHEN $3 = 'WITHDRAWN' THEN excluded.withdrawn_on ELSE entry.withdrawn_on END
            WHERE entry.version < excluded.version""";

    private final Intake intake;
    private final RecordSpans spans;
    private final Pool database;

    DirectoryUpdater(Intake intake, RecordSpans spans, Pool database) {
        this.intake = intake;
        this.spans = spans;
        this.database = database;
    }

    /** The statement's values: the version's ($1 to $11), then what the entry has beside them ($12 to $16). */
    private static Tuple values(ClusterEvent event, String eventId, String eventTime) {
        Figures figures = event.figures();
        ClusterJoined joined = event instanceof ClusterJoined join ? join : null;
        String change = joined != null ? "JOINED" : event instanceof ClusterWithdrawn ? "WITHDRAWN" : "FIGURES_REVISED";
        LocalDate withdrawnOn = event instanceof ClusterWithdrawn withdrawn ? withdrawn.withdrawnOn() : null;
        String figuresBasis = joined != null ? joined.figuresBasis()
                : event instanceof ClusterFiguresRevised revised ? revised.figuresBasis() : null;
        Instant happenedAt = ClusterVersion.instant(eventTime);
        return Tuple.tuple(Arrays.asList(event.clusterId(), event.version(), change, eventId,
                happenedAt == null ? null : happenedAt.atOffset(ZoneOffset.UTC), event.joinedOn(), withdrawnOn,
                figures.emissionsReductionMtPerYear(),
                figures.jobs(), figures.gdpUsdBn(), figuresBasis, joined != null ? joined.name() : null,
                event.country(), event.region(), event.sectors().toArray(String[]::new),
                joined != null ? joined.portAnchored() : null));
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
        Tuple values = values(reading.event(), reading.eventId(), Intake.header(record, "ce_time"));
        return spans.endWith(span, intake.write(record, () -> database.preparedQuery(WRITE).execute(values)
                .replaceWithVoid()));
    }
}
