package org.coalitiontracker.membership.roster;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The data of a {@code ClusterJoined} event, version 1. The contract is the JSON Schema served at
 * {@value #SCHEMA}; event id, type and time travel as CloudEvents headers.
 */
public record ClusterJoined(UUID clusterId, int version, String name, String country, Region region, LocalDate joinedOn,
        List<String> sectors, Boolean portAnchored, BigDecimal emissionsReductionMtPerYear, long jobs,
        BigDecimal gdpUsdBn, String figuresBasis) {

    public static final String TYPE = "org.coalitiontracker.ClusterJoined.v1";
    public static final String SCHEMA = "/contracts/cluster-joined-v1.schema.json";

    static ClusterJoined of(Cluster cluster) {
        return new ClusterJoined(cluster.id, cluster.version, cluster.name, cluster.country, Region.of(cluster.country),
                cluster.joinedOn,
                List.of(cluster.sectors), cluster.portAnchored, cluster.emissionsReductionMtPerYear, cluster.jobs,
                cluster.gdpUsdBn, cluster.figuresBasis);
    }
}
