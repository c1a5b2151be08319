package org.coalitiontracker.reporting.directory;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.coalitiontracker.contracts.Rfc3339;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.vertx.mutiny.sqlclient.Row;

/** One version of a cluster: what its event (a join, a revision of its figures, a withdrawal) said, and when. */
public record ClusterVersion(UUID clusterId, int version,
        @Schema(description = "What changed: JOINED, FIGURES_REVISED or WITHDRAWN") String change, String eventId,
        @Schema(description = "When the change happened, as its event says (ce_time); null when the event did not "
                + "say") Instant happenedAt,
        LocalDate joinedOn, LocalDate withdrawnOn, BigDecimal emissionsReductionMtPerYear, long jobs,
        BigDecimal gdpUsdBn, String figuresBasis) {

    /** The columns {@link #of(Row)} reads, of {@code cluster_version}. */
    static final String COLUMNS = """
            cluster_id, version, change, event_id, happened_at, joined_on, withdrawn_on,
            emissions_reduction_mt_per_year, jobs, gdp_usd_bn, figures_basis""";

    static ClusterVersion of(Row row) {
        OffsetDateTime happenedAt = row.getOffsetDateTime("happened_at");
        return new ClusterVersion(row.getUUID("cluster_id"), row.getInteger("version"), row.getString("change"),
                row.getString("event_id"), happenedAt == null ? null : happenedAt.toInstant(),
                row.getLocalDate("joined_on"), row.getLocalDate("withdrawn_on"),
                row.getBigDecimal("emissions_reduction_mt_per_year"), row.getLong("jobs"),
                row.getBigDecimal("gdp_usd_bn"), row.getString("figures_basis"));
    }

    /** The event's time, if it is one PostgreSQL can store: a hostile ce_time must not keep the version out. */
    static Instant instant(String time) {
        Instant instant = Rfc3339.instant(time);
        return instant != null && instant.isAfter(EARLIEST) && instant.isBefore(LATEST) ? instant : null;
    }

    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");
}
