package org.coalitiontracker.contracts;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A cluster's figures were revised. They are estimates, corrected: the revised figures replace the old ones for the
 * whole membership, so consumers need not read {@code previous}.
 */
public record ClusterFiguresRevised(UUID clusterId, Integer version, String country, String region,
        LocalDate joinedOn, List<String> sectors, Figures revised, String figuresBasis) implements ClusterEvent {

    public static final String TYPE = "org.coalitiontracker.ClusterFiguresRevised.v1";
    public static final String SCHEMA = SCHEMAS + "cluster-figures-revised-v1.schema.json";

    @Override
    public Figures figures() {
        return revised;
    }

    @Override
    public String problem() {
        String problem = ClusterEvent.super.problem();
        return problem != null ? problem : ClusterEvent.optionalTextProblem("figuresBasis", figuresBasis);
    }
}
