package org.coalitiontracker.reporting.directory;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Row;

/** A cluster as the directory shows it; {@code figuresBasis} says where its figures come from (e.g. apportioned). */
public record Cluster(UUID clusterId, String name, String country, String region, List<String> sectors,
        Boolean portAnchored, LocalDate joinedOn, LocalDate withdrawnOn, BigDecimal emissionsReductionMtPerYear,
        long jobs, BigDecimal gdpUsdBn, String figuresBasis, int version) {

    static Cluster of(Row row) {
        return new Cluster(row.getUUID("cluster_id"), row.getString("name"), row.getString("country"),
                row.getString("region"), List.of(row.getArrayOfStrings("sectors")), row.getBoolean("port_anchored"),
                row.getLocalDate("joined_on"), row.getLocalDate("withdrawn_on"),
                row.getBigDecimal("emissions_reduction_mt_per_year"), row.getLong("jobs"), row.getBigDecimal("gdp_usd_bn"),
                row.getString("figures_basis"), row.getInteger("version"));
    }
}
