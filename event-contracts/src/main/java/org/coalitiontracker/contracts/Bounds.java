package org.coalitiontracker.contracts;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The bounds every value of a cluster holds, from the API that accepts it to every consumer that stores and sums it.
 * membership-service refuses a request outside them; a consumer dead-letters an event outside them. They are far
 * above any real cluster (the whole coalition: 832 MtCO2e a year, 4.3 million jobs, $492 billion) and far below what
 * would overflow a total: ten million clusters at every maximum still fit the totals' numeric(15, 3) and bigint.
 */
public final class Bounds {

    /** No coalition of this century needs an earlier date; PostgreSQL and Java agree on every date from here on. */
    public static final LocalDate EARLIEST_DATE = LocalDate.of(1900, 1, 1);
    /**
     * The latest date a consumer stores: four-digit years, as ISO 8601 writes them without a sign. The API also
     * refuses any date after the day it takes the request.
     */
    public static final LocalDate LATEST_DATE = LocalDate.of(9999, 12, 31);

    /** Emissions reduction potential (MtCO2e a year) and GDP contribution (USD billions): exact thousandths. */
    public static final int FIGURE_DECIMALS = 3;
    /** The largest emissions reduction potential or GDP contribution of one cluster, as text for annotations. */
    public static final String MAX_FIGURE_TEXT = "10000.000";
    public static final BigDecimal MAX_FIGURE = new BigDecimal(MAX_FIGURE_TEXT);
    /** The most jobs one cluster can report. */
    public static final long MAX_JOBS = 10_000_000;

    /**
     * The largest whole number every reader of JSON holds exactly (RFC 7493, I-JSON): a browser reads numbers as
     * doubles, and the dashboard compares versions and shows counts. Versions and counts on a topic stay within it.
     */
    public static final long MAX_EXACT_INTEGER = 9_007_199_254_740_991L;

    /** Characters (code points) of a cluster's name, as the databases count them. */
    public static final int MAX_NAME_LENGTH = 200;
    /** Characters of a free text: where figures come from, why a cluster withdrew. */
    public static final int MAX_TEXT_LENGTH = 500;
    /** Sectors of one cluster: the vocabulary has fewer. */
    public static final int MAX_SECTORS = 32;
    /** A country code, a region or sector name: 1 to this many of A-Z and _. */
    public static final int MAX_VOCABULARY_NAME_LENGTH = 32;

    private Bounds() {
    }

    /** Whether a date is one every consumer stores exactly. */
    public static boolean isStorable(LocalDate date) {
        return !date.isBefore(EARLIEST_DATE) && !date.isAfter(LATEST_DATE);
    }

    /** Whether a figure is between 0 and {@link #MAX_FIGURE} with at most three decimals (trailing zeros aside). */
    public static boolean isFigure(BigDecimal figure) {
        return figure.signum() >= 0 && figure.compareTo(MAX_FIGURE) <= 0
                && (figure.scale() <= FIGURE_DECIMALS || figure.stripTrailingZeros().scale() <= FIGURE_DECIMALS);
    }

    public static boolean isJobs(long jobs) {
        return jobs >= 0 && jobs <= MAX_JOBS;
    }
}
