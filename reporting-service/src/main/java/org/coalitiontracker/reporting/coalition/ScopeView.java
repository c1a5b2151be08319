package org.coalitiontracker.reporting.coalition;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;

import io.vertx.mutiny.sqlclient.Row;

/**
 * The materialized view of one scope's totals: the newest version received from {@code coalition-totals}.
 * {@code lastEventAt} is when the last event they reflect happened (its ce_time); null if the producer did not say.
 */
record ScopeView(String scope, long version, long clusters, long countries, BigDecimal emissionsReductionMtPerYear,
        long jobs, BigDecimal gdpUsdBn, String lastEventId, Instant lastEventAt, Instant updatedAt) {

    static final String COALITION = "coalition";

    /** The columns {@link #of(Row)} reads, of {@code scope_view}. */
    static final String COLUMNS = """
            scope, version, clusters, countries, emissions_reduction_mt_per_year, jobs, gdp_usd_bn, last_event_id,
            last_event_at, updated_at""";

    static ScopeView of(Row row) {
        return new ScopeView(row.getString("scope"), row.getLong("version"), row.getLong("clusters"),
                row.getLong("countries"), row.getBigDecimal("emissions_reduction_mt_per_year"), row.getLong("jobs"),
                row.getBigDecimal("gdp_usd_bn"), row.getString("last_event_id"), instant(row, "last_event_at"),
                instant(row, "updated_at"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant();
    }
}
