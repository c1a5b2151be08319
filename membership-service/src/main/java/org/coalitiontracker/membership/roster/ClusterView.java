package org.coalitiontracker.membership.roster;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A cluster as the API shows it. */
public record ClusterView(UUID id, String name, String country, Region region, LocalDate joinedOn, List<String> sectors,
        Boolean portAnchored, BigDecimal emissionsReductionMtPerYear, long jobs, BigDecimal gdpUsdBn, String figuresBasis,
        LocalDate withdrawnOn, int version) {

    static ClusterView of(Cluster cluster) {
        return new ClusterView(cluster.id, cluster.name, cluster.country, Region.of(cluster.country), cluster.joinedOn,
                List.of(cluster.sectors),
                cluster.portAnchored, cluster.emissionsReductionMtPerYear, cluster.jobs, cluster.gdpUsdBn,
                cluster.figuresBasis, cluster.withdrawnOn, cluster.version);
    }
}
