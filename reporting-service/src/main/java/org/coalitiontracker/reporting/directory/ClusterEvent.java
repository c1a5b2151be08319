package org.coalitiontracker.reporting.directory;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * What the directory reads of the events on {@code cluster-events} (contracts: membership-service's
 * cluster-joined-v1, cluster-figures-revised-v1 and cluster-withdrawn-v1 schemas). Fields it does not need are
 * ignored; boxed fields let a missing one be told from zero.
 */
sealed interface ClusterEvent {

    UUID clusterId();

    Integer version();

    String country();

    String region();

    LocalDate joinedOn();

    List<String> sectors();

    /** The cluster's figures after this event. */
    Figures figures();

    /** Applies what this event says to the cluster's entry. */
    void applyTo(ClusterEntry entry);

    /** Whether it has what every event of the contract must have. */
    default boolean complete() {
        Figures figures = figures();
        return clusterId() != null && version() != null && country() != null && joinedOn() != null
                && sectors() != null && !sectors().isEmpty() && figures != null
                && figures.emissionsReductionMtPerYear() != null && figures.jobs() != null
                && figures.gdpUsdBn() != null;
    }

    /** What every event says: where the cluster counts and its figures now. */
    default void placeAndFigures(ClusterEntry entry) {
        entry.version = version();
        entry.country = country();
        entry.region = region();
        entry.joinedOn = joinedOn();
        entry.sectors = sectors().toArray(String[]::new);
        entry.emissionsReductionMtPerYear = figures().emissionsReductionMtPerYear();
        entry.jobs = figures().jobs();
        entry.gdpUsdBn = figures().gdpUsdBn();
    }

    record Figures(BigDecimal emissionsReductionMtPerYear, Long jobs, BigDecimal gdpUsdBn) {
    }

    record ClusterJoined(UUID clusterId, Integer version, String name, String country, String region,
            LocalDate joinedOn, List<String> sectors, Boolean portAnchored, BigDecimal emissionsReductionMtPerYear,
            Long jobs, BigDecimal gdpUsdBn, String figuresBasis) implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterJoined.v1";

        @Override
        public Figures figures() {
            return new Figures(emissionsReductionMtPerYear, jobs, gdpUsdBn);
        }

        @Override
        public void applyTo(ClusterEntry entry) {
            placeAndFigures(entry);
            entry.name = name;
            entry.portAnchored = portAnchored;
            entry.figuresBasis = figuresBasis;
        }
    }

    record ClusterFiguresRevised(UUID clusterId, Integer version, String country, String region, LocalDate joinedOn,
            List<String> sectors, Figures revised, String figuresBasis) implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterFiguresRevised.v1";

        @Override
        public Figures figures() {
            return revised;
        }

        @Override
        public void applyTo(ClusterEntry entry) {
            placeAndFigures(entry);
            entry.figuresBasis = figuresBasis;
        }
    }

    record ClusterWithdrawn(UUID clusterId, Integer version, String country, String region, LocalDate joinedOn,
            List<String> sectors, LocalDate withdrawnOn, Figures figures) implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterWithdrawn.v1";

        @Override
        public boolean complete() {
            return withdrawnOn != null && ClusterEvent.super.complete();
        }

        @Override
        public void applyTo(ClusterEntry entry) {
            placeAndFigures(entry);
            entry.withdrawnOn = withdrawnOn;
        }
    }
}
