package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * What this service reads of the events on {@code cluster-events} (contracts: membership-service's
 * cluster-joined-v1, cluster-figures-revised-v1 and cluster-withdrawn-v1 schemas): each one gives the cluster's
 * state after it. Fields it does not need are ignored.
 */
sealed interface ClusterEvent {

    UUID clusterId();

    /** Boxed, like the figures, so that a missing field is caught rather than read as zero. */
    Integer version();

    String country();

    /** The cluster's contribution after this event. */
    ClusterState state();

    /** Why this event cannot be applied (a missing or impossible field), or null if it can. */
    default String problem() {
        if (clusterId() == null || version() == null || version() < 1) {
            return "clusterId and a version of at least 1 are required";
        }
        if (country() == null || !country().matches("[A-Z]{2}")) {
            return "country must be an ISO 3166-1 alpha-2 code";
        }
        ClusterState state = state();
        if (state == null) {
            return "the figures are missing";
        }
        if (state.emissionsReductionMtPerYear().signum() < 0 || state.jobs() < 0 || state.gdpUsdBn().signum() < 0) {
            return "figures must not be negative";
        }
        return null;
    }

    record Figures(BigDecimal emissionsReductionMtPerYear, Long jobs, BigDecimal gdpUsdBn) {

        /** The state these figures give an active cluster, or null if one of them is missing. */
        ClusterState active(String country) {
            return emissionsReductionMtPerYear == null || jobs == null || gdpUsdBn == null ? null
                    : new ClusterState(true, country, emissionsReductionMtPerYear, jobs, gdpUsdBn);
        }
    }

    /** Whether the cluster counts, where, and with which figures. */
    record ClusterState(boolean active, String country, BigDecimal emissionsReductionMtPerYear, long jobs,
            BigDecimal gdpUsdBn) {
    }

    record ClusterJoined(UUID clusterId, Integer version, String country, BigDecimal emissionsReductionMtPerYear,
            Long jobs, BigDecimal gdpUsdBn) implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterJoined.v1";

        @Override
        public ClusterState state() {
            return new Figures(emissionsReductionMtPerYear, jobs, gdpUsdBn).active(country);
        }
    }

    record ClusterFiguresRevised(UUID clusterId, Integer version, String country, Figures revised)
            implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterFiguresRevised.v1";

        @Override
        public ClusterState state() {
            return revised == null ? null : revised.active(country);
        }
    }

    record ClusterWithdrawn(UUID clusterId, Integer version, String country, Figures figures) implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterWithdrawn.v1";

        @Override
        public ClusterState state() {
            return new ClusterState(false, country, BigDecimal.ZERO, 0, BigDecimal.ZERO);
        }
    }
}
