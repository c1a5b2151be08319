package org.coalitiontracker.contracts;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An event of {@code cluster-events} as its consumers read it (contracts: membership-service's cluster-joined-v1,
 * cluster-figures-revised-v1 and cluster-withdrawn-v1 schemas, {@link #SCHEMAS}). Each gives the cluster's whole
 * state after it, so the newest version alone decides what the cluster is. Numbers and lists are boxed so that a
 * missing field is told from zero.
 * <p>
 * {@link #problem()} is the one rule for what a consumer can apply: an event that breaks it goes to the consumer's
 * dead-letter topic, and every consumer refuses the same events, so that they agree on what they counted.
 */
public sealed interface ClusterEvent permits ClusterJoined, ClusterFiguresRevised, ClusterWithdrawn {

    /** Where membership-service, the producer, serves the JSON Schemas (its source tree keeps them). */
    String SCHEMAS = "/contracts/";

    UUID clusterId();

    Integer version();

    String country();

    /** Absent from events of producers that do not derive it. */
    String region();

    LocalDate joinedOn();

    List<String> sectors();

    /** The cluster's figures after this event. */
    Figures figures();

    /** The date from which the cluster no longer counts, or null while it is a member. */
    default LocalDate withdrawnOn() {
        return null;
    }

    /** Why this event cannot be applied (a missing field or one outside {@link Bounds}), or null if it can. */
    default String problem() {
        if (clusterId() == null) {
            return "clusterId is required";
        }
        if (version() == null || version() < 1) {
            return "version must be a whole number of at least 1";
        }
        if (country() == null || !Vocabulary.isCountryCode(country())) {
            return "country must be an ISO 3166-1 alpha-2 code";
        }
        if (region() != null && !Vocabulary.isName(region())) {
            return "region must be one of the UN M49 region names";
        }
        String dates = dateProblem("joinedOn", joinedOn());
        if (dates != null) {
            return dates;
        }
        String sectors = sectorsProblem(sectors());
        if (sectors != null) {
            return sectors;
        }
        Figures figures = figures();
        return figures == null ? "the figures are missing" : figures.problem();
    }

    /** Why a date is missing or outside {@link Bounds}, or null. */
    static String dateProblem(String field, LocalDate date) {
        if (date == null) {
            return field + " is required";
        }
        return Bounds.isStorable(date) ? null
                : field + " must be between " + Bounds.EARLIEST_DATE + " and " + Bounds.LATEST_DATE;
    }

    /** A sector counted twice would count the cluster twice in that sector's totals. */
    private static String sectorsProblem(List<String> sectors) {
        if (sectors == null || sectors.isEmpty() || sectors.size() > Bounds.MAX_SECTORS) {
            return "sectors must list 1 to " + Bounds.MAX_SECTORS + " sectors";
        }
        Set<String> seen = new HashSet<>();
        for (String sector : sectors) {
            if (sector == null || !Vocabulary.isName(sector)) {
                return "sectors must each be a name of the sector vocabulary";
            }
            if (!seen.add(sector)) {
                return "sectors must not repeat a sector (" + sector + ")";
            }
        }
        return null;
    }

    /** Why an optional free text is not acceptable, or null. */
    static String optionalTextProblem(String field, String text) {
        return text == null ? null : Text.problem(field, text, Bounds.MAX_TEXT_LENGTH);
    }

    /**
     * Codes and names as the vocabularies spell them: 1 to 32 of A-Z and _ (a country code: two letters). The
     * vocabularies themselves may grow without a new contract version. Checked char by char rather than by regular
     * expression: every event is checked, tens of thousands a second.
     */
    final class Vocabulary {
        private Vocabulary() {
        }

        static boolean isCountryCode(String code) {
            return code.length() == 2 && isLetter(code.charAt(0)) && isLetter(code.charAt(1));
        }

        static boolean isName(String name) {
            if (name.isEmpty() || name.length() > Bounds.MAX_VOCABULARY_NAME_LENGTH) {
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
}
