package org.coalitiontracker.metrics.totals;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/** How a scope's totals are read from {@code scope_totals}: by a batch that changed them and by the queries. */
final class TotalsRows {

    static final String COLUMNS = """
            scope, version, last_event_id, last_event_at, clusters, countries, emissions_reduction_mt_per_year, jobs,
            gdp_usd_bn, updated_at""";

    private TotalsRows() {
    }

    static List<TotalsChanged> totals(RowSet<Row> rows) {
        List<TotalsChanged> totals = new ArrayList<>();
        for (Row row : rows) {
            OffsetDateTime lastEventAt = row.getOffsetDateTime("last_event_at");
            totals.add(new TotalsChanged(row.getString("scope"), row.getLong("version"),
                    row.getString("last_event_id"), lastEventAt == null ? null : lastEventAt.toInstant(),
                    row.getLong("clusters"), row.getLong("countries"),
                    row.getBigDecimal("emissions_reduction_mt_per_year"), row.getLong("jobs"),
                    row.getBigDecimal("gdp_usd_bn"), row.getOffsetDateTime("updated_at").toInstant()));
        }
        return totals;
    }
}
