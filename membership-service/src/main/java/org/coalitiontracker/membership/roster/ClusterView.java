package org.coalitiontracker.membership.roster;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A cluster as the API shows it. Its id is {@code clusterId}, as reporting-service, the events and the export name
 * it; {@code id}, the same value, is kept for this release only, for callers written against the old name.
 */
public record ClusterView(
        @Schema(description = "The cluster's id, in the roster, its events and reporting-service") UUID clusterId, String name,
        String country, Region region, LocalDate joinedOn, List<String> sectors,
        Boolean portAnchored, BigDecimal emissionsReductionMtPerYear, long jobs, BigDecimal gdpUsdBn, String figuresBasis,
        LocalDate withdrawnOn, int version,
        @Schema(deprecated = true, description = "The same as clusterId; removed in the next release") UUID id) {

    static ClusterView of(Cluster cluster) {
        return new ClusterView(cluster.id, cluster.name, cluster.country, Region.of(cluster.country), cluster.joinedOn,
                List.of(cluster.sectors),
                cluster.portAnchored, cluster.emissionsReductionMtPerYear, cluster.jobs, cluster.gdpUsdBn,
                cluster.figuresBasis, cluster.withdrawnOn, cluster.version, cluster.id);
    }
}
