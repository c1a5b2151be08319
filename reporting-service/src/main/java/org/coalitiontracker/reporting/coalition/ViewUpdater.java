package org.coalitiontracker.reporting.coalition;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.coalitiontracker.contracts.MessageReader;
import org.coalitiontracker.contracts.TotalsChanged;
import org.coalitiontracker.contracts.TraceAttributes;
import org.coalitiontracker.reporting.intake.Intake;
import org.coalitiontracker.reporting.intake.RecordSpans;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Materializes {@code coalition-totals} into this service's own database, newest version per scope. A poll's records
 * are written in one transaction, a statement for all its scopes, so that reading the topic again from its start (an
 * emptied database) takes a few statements per thousand records rather than a transaction each. What the views cannot
 * hold goes to {@code coalition-totals.reporting.dlq} with the reason, alone, and the views go on.
 */
@ApplicationScoped
public class ViewUpdater {

    static final MessageReader<TotalsChanged> READER = MessageReader.totalsChanged();

    /** Each scope's totals, unless the view already has the same or a newer version. Figures travel as text, exactly. */
    private static final String WRITE = """
            INSERT INTO scope_view AS view (scope, version, clusters, countries, emissions_reduction_mt_per_year, jobs,
                gdp_usd_bn, last_event_id, last_event_at, updated_at)
            SELECT scope, version, clusters, countries, emissions::numeric, jobs, gdp::numeric, last_event_id,
                last_event_at, updated_at
            FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::text[], $6::int8[], $7::text[], $8::text[],
                $9::timestamptz[], $10::timestamptz[])
            AS t(scope, version, clusters, countries, emissions, jobs, gdp, last_event_id, last_event_at, updated_at)
            ON CONFLICT (scope) DO UPDATE SET version = excluded.version, clusters = excluded.clusters,
                countries = excluded.countries,
                emissions_reduction_mt_per_year = excluded.emissions_reduction_mt_per_year, jobs = excluded.jobs,
                gdp_usd_bn = excluded.gdp_usd_bn, last_event_id = excluded.last_event_id,
                last_event_at = excluded.last_event_at, updated_at = excluded.updated_at
            WHERE view.version < excluded.version""";

    private final Intake intake;
    private final RecordSpans spans;
    private final Pool database;

    ViewUpdater(Intake intake, RecordSpans spans, Pool database) {
        this.intake = intake;
        this.spans = spans;
        this.database = database;
    }

    /** A scope's totals to write, with the span of taking in their record. */
    private record Refresh(ConsumerRecord<byte[], byte[]> record, TotalsChanged change, Span span) {
    }

    @Incoming("coalition-totals")
    public Uni<Void> refresh(ConsumerRecords<byte[], byte[]> records) {
        Map<String, Refresh> newest = new LinkedHashMap<>();
        List<Uni<Void>> refusals = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Span span = spans.start("coalition-totals view update", record);
            MessageReader.Reading<TotalsChanged> reading = READER.read(record.key(), Intake.header(record, "ce_type"),
                    record.value());
            if (reading.problem() != null) {
                refusals.add(intake.deadLetter(record, span, reading.problem()));
                continue;
            }
            TotalsChanged change = reading.message();
            describe(span, change);
            // Only a scope's newest totals in the poll are written; the views keep the newest anyway.
            Refresh other = newest.get(change.scope());
            if (other != null && other.change().version() >= change.version()) {
                span.end();
            } else {
                if (other != null) {
                    other.span().end();
                }
                newest.put(change.scope(), new Refresh(record, change, span));
            }
        }
        return (refusals.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(refusals).andFailFast().replaceWithVoid())
                .chain(() -> intake.writtenByHalves(List.copyOf(newest.values()), some -> database
                        .withTransaction(connection -> connection.preparedQuery(WRITE).execute(values(some)))
                        .invoke(() -> some.forEach(refresh -> refresh.span().end())).replaceWithVoid(),
                        (refresh, reason) -> intake.deadLetter(refresh.record(), refresh.span(), reason), "scopes' totals"));
    }

    /** The statement's values, an array per column ($1 to $10). */
    private static Tuple values(List<Refresh> refreshes) {
        int size = refreshes.size();
        String[] scopes = new String[size];
        Long[] versions = new Long[size];
        Long[] clusters = new Long[size];
        Long[] countries = new Long[size];
        String[] emissions = new String[size];
        Long[] jobs = new Long[size];
        String[] gdp = new String[size];
        String[] lastEventIds = new String[size];
        OffsetDateTime[] lastEventAt = new OffsetDateTime[size];
        OffsetDateTime[] updatedAt = new OffsetDateTime[size];
        for (int i = 0; i < size; i++) {
            TotalsChanged change = refreshes.get(i).change();
            scopes[i] = change.scope();
            versions[i] = change.version();
            clusters[i] = change.clusters();
            countries[i] = change.countries();
            emissions[i] = change.emissionsReductionMtPerYear().toPlainString();
            jobs[i] = change.jobs();
            gdp[i] = change.gdpUsdBn().toPlainString();
            lastEventIds[i] = change.causedByEventId();
            lastEventAt[i] = utc(change.causedByEventAt());
            updatedAt[i] = utc(change.updatedAt());
        }
        return Tuple.tuple(List.of(scopes, versions, clusters, countries, emissions, jobs, gdp, lastEventIds,
                lastEventAt, updatedAt));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** Says in a span which totals it took in: their scope and version, and the newest event they reflect. */
    static void describe(Span span, TotalsChanged change) {
        span.setAttribute(TraceAttributes.SCOPE, change.scope()).setAttribute(TraceAttributes.TOTALS_VERSION,
                change.version());
        if (change.causedByEventId() != null) {
            span.setAttribute(TraceAttributes.EVENT_ID, change.causedByEventId());
        }
    }
}
