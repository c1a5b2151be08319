package org.coalitiontracker.contracts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A message of {@code coalition-reconciliation} as its consumers read it (contract: metrics-service's
 * reconciliation-checked-v1.schema.json): whether the coalition totals equal the roster's own sums, since when they
 * have differed, which figures differ, and how many records the totals did not count because they were dead-lettered.
 */
public record ReconciliationChecked(String status, Instant checkedAt, Instant differentSince,
        List<Difference> differences, Long deadLetteredRecords) {

    public static final String TYPE = "org.coalitiontracker.ReconciliationChecked.v1";
    static final String KEY = "coalition";

    /** A figure of the totals and the roster's, where they differ. */
    public record Difference(String figure, BigDecimal totals, BigDecimal roster) {
    }

    /** Why a reader cannot show this, or null if it can. */
    public String problem() {
        if (!"EQUAL".equals(status) && !"DIFFERENT".equals(status)) {
            return "status must be EQUAL or DIFFERENT";
        }
        if (checkedAt == null) {
            return "checkedAt is required";
        }
        if (differences == null || differences.size() > 5 || differences.stream().anyMatch(
                difference -> difference == null || difference.figure() == null || difference.figure().length() > 32)) {
            return "differences must list at most the five figures";
        }
        return deadLetteredRecords == null || deadLetteredRecords < 0 || deadLetteredRecords > Bounds.MAX_EXACT_INTEGER
                ? "deadLetteredRecords must be a whole number from 0 to " + Bounds.MAX_EXACT_INTEGER
                : null;
    }
}
