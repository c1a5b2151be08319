package org.coalitiontracker.reporting.directory;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A cluster as the directory shows it; {@code figuresBasis} says where its figures come from (e.g. apportioned). */
public record Cluster(UUID clusterId, String name, String country, String region, List<String> sectors,
        Boolean portAnchored, LocalDate joinedOn, LocalDate withdrawnOn, BigDecimal emissionsReductionMtPerYear,
        long jobs, BigDecimal gdpUsdBn, String figuresBasis, int version) {

    static Cluster of(ClusterEntry entry) {
        return new Cluster(entry.clusterId, entry.name, entry.country, entry.region, List.of(entry.sectors),
                entry.portAnchored, entry.joinedOn, entry.withdrawnOn, entry.emissionsReductionMtPerYear, entry.jobs,
                entry.gdpUsdBn, entry.figuresBasis, entry.version);
    }
}
