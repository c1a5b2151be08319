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

    int version();

    /** The cluster's contribution after this event. */
    ClusterState state();

    record Figures(BigDecimal emissionsReductionMtPerYear, long jobs, BigDecimal gdpUsdBn) {
    }

    /** Whether the cluster counts, where, and with which figures. */
    record ClusterState(boolean active, String country, BigDecimal emissionsReductionMtPerYear, long jobs,
            BigDecimal gdpUsdBn) {
    }

    record ClusterJoined(UUID clusterId, int version, String country, BigDecimal emissionsReductionMtPerYear,
            long jobs, BigDecimal gdpUsdBn) implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterJoined.v1";

        @Override
        public ClusterState state() {
            return new ClusterState(true, country, emissionsReductionMtPerYear, jobs, gdpUsdBn);
        }
    }

    record ClusterFiguresRevised(UUID clusterId, int version, String country, Figures revised)
            implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterFiguresRevised.v1";

        @Override
        public ClusterState state() {
            return new ClusterState(true, country, revised.emissionsReductionMtPerYear(), revised.jobs(),
                    revised.gdpUsdBn());
        }
    }

    record ClusterWithdrawn(UUID clusterId, int version, String country, Figures figures) implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterWithdrawn.v1";

        @Override
        public ClusterState state() {
            return new ClusterState(false, country, BigDecimal.ZERO, 0, BigDecimal.ZERO);
        }
    }
}
