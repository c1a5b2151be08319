package org.coalitiontracker.membership.roster;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The data of a {@code ClusterWithdrawn} event, version 1 (contract: {@value #SCHEMA}): the cluster no longer counts
 * from {@code withdrawnOn} on; {@code figures} is the contribution to retract.
 */
public record ClusterWithdrawn(UUID clusterId, int version, String country, Region region, LocalDate joinedOn,
        List<String> sectors,
        LocalDate withdrawnOn, Figures figures) {

    public static final String TYPE = "org.coalitiontracker.ClusterWithdrawn.v1";
    public static final String SCHEMA = "/contracts/cluster-withdrawn-v1.schema.json";

    static ClusterWithdrawn of(Cluster cluster) {
        return new ClusterWithdrawn(cluster.id, cluster.version, cluster.country, Region.of(cluster.country),
                cluster.joinedOn,
                List.of(cluster.sectors), cluster.withdrawnOn, Figures.of(cluster));
    }
}
