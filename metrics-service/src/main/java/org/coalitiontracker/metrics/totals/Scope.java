package org.coalitiontracker.metrics.totals;

/** The kinds of scope the totals are kept for; a scope is named {@code <kind>:<value>}, or {@code coalition}. */
enum Scope {
    COUNTRY, REGION, SECTOR, COHORT;

    static final String COALITION = "coalition";

    String of(String value) {
        return name().toLowerCase() + ":" + value;
    }
}
