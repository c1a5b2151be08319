package org.coalitiontracker.contracts;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A cluster joined the coalition: version 1 of it. */
public record ClusterJoined(UUID clusterId, Integer version, String name, String country, String region,
        LocalDate joinedOn, List<String> sectors, Boolean portAnchored, BigDecimal emissionsReductionMtPerYear,
        Long jobs, BigDecimal gdpUsdBn, String figuresBasis) implements ClusterEvent {

    public static final String TYPE = "org.coalitiontracker.ClusterJoined.v1";
    public static final String SCHEMA = SCHEMAS + "cluster-joined-v1.schema.json";

    @Override
    public Figures figures() {
        return new Figures(emissionsReductionMtPerYear, jobs, gdpUsdBn);
    }

    @Override
    public String problem() {
        String problem = ClusterEvent.super.problem();
        if (problem == null) {
            problem = name == null ? "name is required" : Text.problem("name", name, Bounds.MAX_NAME_LENGTH);
        }
        return problem != null ? problem : ClusterEvent.optionalTextProblem("figuresBasis", figuresBasis);
    }
}
