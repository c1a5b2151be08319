package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What this service reads of the events on {@code cluster-events} (contracts: membership-service's
 * cluster-joined-v1, cluster-figures-revised-v1 and cluster-withdrawn-v1 schemas): each one gives the cluster's whole
 * state after it, so the newest version alone decides what the cluster adds to the totals. Fields it does not need
 * are ignored.
 */
sealed interface ClusterEvent {

    UUID clusterId();

    /** Boxed, like the figures, so that a missing field is caught rather than read as zero. */
    Integer version();

    String country();

    /** Absent from events of producers that do not derive it; such clusters count in region {@code UNSPECIFIED}. */
    String region();

    LocalDate joinedOn();

    List<String> sectors();

    /** The cluster's figures after this event. */
    Figures figures();

    /** The date from which the cluster no longer counts, or null while it is a member. */
    default LocalDate withdrawnOn() {
        return null;
    }

    /** Why this event cannot be applied (a missing or impossible field), or null if it can. */
    default String problem() {
        if (clusterId() == null || version() == null || version() < 1) {
            return "clusterId and a version of at least 1 are required";
        }
        if (country() == null || !Patterns.COUNTRY.matcher(country()).matches()) {
            return "country must be an ISO 3166-1 alpha-2 code";
        }
        if (region() != null && !Patterns.NAME.matcher(region()).matches()) {
            return "region must be one of the UN M49 region names";
        }
        if (joinedOn() == null) {
            return "joinedOn is required";
        }
        if (withdrawnOn() != null && withdrawnOn().isBefore(joinedOn())) {
            return "withdrawnOn must not be before joinedOn";
        }
        if (sectors() == null || sectors().isEmpty()
                || !sectors().stream().allMatch(sector -> sector != null && Patterns.NAME.matcher(sector).matches())) {
            return "at least one sector is required, each a name of the sector vocabulary";
        }
        Figures figures = figures();
        if (figures == null || figures.emissionsReductionMtPerYear() == null || figures.jobs() == null
                || figures.gdpUsdBn() == null) {
            return "the figures are missing";
        }
        if (figures.emissionsReductionMtPerYear().signum() < 0 || figures.jobs() < 0
                || figures.gdpUsdBn().signum() < 0) {
            return "figures must not be negative";
        }
        if (figures.emissionsReductionMtPerYear().scale() > 3 || figures.gdpUsdBn().scale() > 3) {
            return "figures have at most 3 decimals";
        }
        return null;
    }

    /** Compiled once: every event is checked, tens of thousands a second. */
    final class Patterns {
        static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
        static final Pattern NAME = Pattern.compile("[A-Z_]{1,32}");

        private Patterns() {
        }
    }

    /** The cluster as it counts after this event; call only when {@link #problem()} is null. */
    default Contribution contribution() {
        Figures figures = figures();
        return new Contribution(version(), country(), region() != null ? region() : Contribution.UNSPECIFIED_REGION,
                List.copyOf(sectors()), joinedOn(), withdrawnOn(),
                new Sums(1, figures.emissionsReductionMtPerYear(), figures.jobs(), figures.gdpUsdBn()));
    }

    record Figures(BigDecimal emissionsReductionMtPerYear, Long jobs, BigDecimal gdpUsdBn) {
    }

    record ClusterJoined(UUID clusterId, Integer version, String country, String region, LocalDate joinedOn,
            List<String> sectors, BigDecimal emissionsReductionMtPerYear, Long jobs, BigDecimal gdpUsdBn)
            implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterJoined.v1";

        @Override
        public Figures figures() {
            return new Figures(emissionsReductionMtPerYear, jobs, gdpUsdBn);
        }
    }

    record ClusterFiguresRevised(UUID clusterId, Integer version, String country, String region, LocalDate joinedOn,
            List<String> sectors, Figures revised) implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterFiguresRevised.v1";

        /** A revision replaces the figures for the whole membership: they are estimates, corrected, not changes. */
        @Override
        public Figures figures() {
            return revised;
        }
    }

    /** Its figures are those it had when it withdrew: they still count in the totals of dates before then. */
    record ClusterWithdrawn(UUID clusterId, Integer version, String country, String region, LocalDate joinedOn,
            List<String> sectors, LocalDate withdrawnOn, Figures figures) implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterWithdrawn.v1";

        @Override
        public String problem() {
            return withdrawnOn == null ? "withdrawnOn is required" : ClusterEvent.super.problem();
        }
    }
}
