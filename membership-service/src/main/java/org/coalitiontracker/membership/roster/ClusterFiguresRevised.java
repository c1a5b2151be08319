package org.coalitiontracker.membership.roster;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The data of a {@code ClusterFiguresRevised} event, version 1 (contract: {@value #SCHEMA}): the cluster's figures
 * before and after, with what places it in the totals, so that a consumer can retract the old contribution.
 */
public record ClusterFiguresRevised(UUID clusterId, int version, String country, Region region, LocalDate joinedOn,
        List<String> sectors, Figures previous, Figures revised, String figuresBasis) {

    public static final String TYPE = "org.coalitiontracker.ClusterFiguresRevised.v1";
    public static final String SCHEMA = "/contracts/cluster-figures-revised-v1.schema.json";

    static ClusterFiguresRevised of(Cluster cluster, Figures previous) {
        return new ClusterFiguresRevised(cluster.id, cluster.version, cluster.country, Region.of(cluster.country),
                cluster.joinedOn,
                List.of(cluster.sectors), previous, Figures.of(cluster), cluster.figuresBasis);
    }
}
