package org.coalitiontracker.contracts;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A cluster left the coalition. Its figures are those it had when it withdrew: they still count in the totals of
 * the dates before {@code withdrawnOn}.
 */
public record ClusterWithdrawn(UUID clusterId, Integer version, String country, String region, LocalDate joinedOn,
        List<String> sectors, LocalDate withdrawnOn, Figures figures) implements ClusterEvent {

    public static final String TYPE = "org.coalitiontracker.ClusterWithdrawn.v1";
    public static final String SCHEMA = SCHEMAS + "cluster-withdrawn-v1.schema.json";

    @Override
    public String problem() {
        String problem = ClusterEvent.super.problem();
        if (problem == null) {
            problem = ClusterEvent.dateProblem("withdrawnOn", withdrawnOn);
        }
        if (problem == null && withdrawnOn.isBefore(joinedOn)) {
            problem = "withdrawnOn must not be before joinedOn";
        }
        return problem;
    }
}
