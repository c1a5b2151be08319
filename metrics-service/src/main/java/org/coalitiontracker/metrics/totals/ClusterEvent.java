package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What this service reads of the events on {@code cluster-events} (contracts: membership-service's
 * cluster-joined-v1, cluster-figures-revised-v1 and cluster-withdrawn-v1 schemas): each one gives the cluster's whole
 * state after it, so the newest version alone decides what the cluster adds to the totals. Fields it does not need
 * are ignored; those the contracts name are listed, because Jackson skips a listed field but first copies an unknown
 * one aside (for a record: a seventh of what parsing allocated).
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
        if (country() == null || !Vocabulary.isCountryCode(country())) {
            return "country must be an ISO 3166-1 alpha-2 code";
        }
        if (region() != null && !Vocabulary.isName(region())) {
            return "region must be one of the UN M49 region names";
        }
        if (joinedOn() == null) {
            return "joinedOn is required";
        }
        if (withdrawnOn() != null && withdrawnOn().isBefore(joinedOn())) {
            return "withdrawnOn must not be before joinedOn";
        }
        if (sectors() == null || sectors().isEmpty()
                || !sectors().stream().allMatch(sector -> sector != null && Vocabulary.isName(sector))) {
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
        if (!fitsNumeric12x3(figures.emissionsReductionMtPerYear()) || !fitsNumeric12x3(figures.gdpUsdBn())) {
            return "emissionsReductionMtPerYear and gdpUsdBn have at most 9 digits before the point and 3 after";
        }
        return null;
    }

    /**
     * What membership-service accepts and both services store (numeric(12, 3)). A larger figure would fail every
     * attempt to write its batch, and hold up the stream, instead of going to the dead-letter topic.
     */
    private static boolean fitsNumeric12x3(BigDecimal figure) {
        return figure.scale() <= 3 && figure.precision() - figure.scale() <= 9;
    }

    /**
     * Codes and names as the vocabularies spell them: 1 to 32 of A-Z and _ (a country code: two letters). Checked
     * char by char rather than by regular expression: every event is checked, tens of thousands a second, and a
     * Matcher per check was a tenth of all the service allocated.
     */
    final class Vocabulary {
        private Vocabulary() {
        }

        static boolean isCountryCode(String code) {
            return code.length() == 2 && isLetter(code.charAt(0)) && isLetter(code.charAt(1));
        }

        static boolean isName(String name) {
            if (name.isEmpty() || name.length() > 32) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                if (!isLetter(name.charAt(i)) && name.charAt(i) != '_') {
                    return false;
                }
            }
            return true;
        }

        private static boolean isLetter(char c) {
            return c >= 'A' && c <= 'Z';
        }
    }

    /** The cluster as it counts after this event; call only when {@link #problem()} is null. */
    default Contribution contribution() {
        Figures figures = figures();
        return new Contribution(version(), country(), region() != null ? region() : Contribution.UNSPECIFIED_REGION,
                List.copyOf(sectors()), joinedOn(), withdrawnOn(),
                Sums.ofCluster(figures.emissionsReductionMtPerYear(), figures.jobs(), figures.gdpUsdBn()));
    }

    record Figures(BigDecimal emissionsReductionMtPerYear, Long jobs, BigDecimal gdpUsdBn) {
    }

    @JsonIgnoreProperties({ "name", "portAnchored", "figuresBasis" })
    record ClusterJoined(UUID clusterId, Integer version, String country, String region, LocalDate joinedOn,
            List<String> sectors, BigDecimal emissionsReductionMtPerYear, Long jobs, BigDecimal gdpUsdBn)
            implements ClusterEvent {

        static final String TYPE = "org.coalitiontracker.ClusterJoined.v1";

        @Override
        public Figures figures() {
            return new Figures(emissionsReductionMtPerYear, jobs, gdpUsdBn);
        }
    }

    @JsonIgnoreProperties({ "figuresBasis", "previous" })
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
