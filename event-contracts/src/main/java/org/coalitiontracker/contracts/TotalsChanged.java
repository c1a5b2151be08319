package org.coalitiontracker.contracts;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A message of {@code coalition-totals} as its consumers read it (contract: metrics-service's
 * totals-changed-v1.schema.json): the new absolute totals of one scope, and when the last event they reflect happened
 * ({@code causedByEventAt}, absent from messages of earlier producers). Readers keep, per scope, the message with the
 * highest version.
 */
public record TotalsChanged(String scope, Long version, String causedByEventId, Instant causedByEventAt, Long clusters,
        Long countries, BigDecimal emissionsReductionMtPerYear, Long jobs, BigDecimal gdpUsdBn, Instant updatedAt) {

    public static final String TYPE = "org.coalitiontracker.TotalsChanged.v1";
    /** A scope's total of a figure: what numeric(15, 3) holds. */
    private static final BigDecimal MAX_TOTAL = new BigDecimal("999999999999.999");

    /** Why a view cannot store these totals, or null if it can. */
    public String problem() {
        if (scope == null || !isScope(scope)) {
            return "scope must be coalition or a kind and a name such as country:GB";
        }
        if (version == null || version < 1 || version > Bounds.MAX_EXACT_INTEGER) {
            return "version must be a whole number from 1 to " + Bounds.MAX_EXACT_INTEGER;
        }
        if (causedByEventId != null && !StrictJson.isEventId(causedByEventId)) {
            return "causedByEventId must be 1 to 64 visible ASCII characters";
        }
        if (!isCount(clusters) || !isCount(countries) || !isCount(jobs)) {
            return "clusters, countries and jobs must be whole numbers from 0 to " + Bounds.MAX_EXACT_INTEGER;
        }
        if (!isTotal(emissionsReductionMtPerYear) || !isTotal(gdpUsdBn)) {
            return "emissionsReductionMtPerYear and gdpUsdBn must be between 0 and " + MAX_TOTAL.toPlainString()
                    + " with at most " + Bounds.FIGURE_DECIMALS + " decimals";
        }
        return updatedAt == null ? "updatedAt is required" : null;
    }

    /** {@code coalition}, or a lower-case kind, a colon and a vocabulary name or a year, as the schema says. */
    private static boolean isScope(String scope) {
        if (scope.equals("coalition")) {
            return true;
        }
        int colon = scope.indexOf(':');
        int nameLength = scope.length() - colon - 1;
        if (colon < 1 || nameLength < 1 || nameLength > Bounds.MAX_VOCABULARY_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < scope.length(); i++) {
            char c = scope.charAt(i);
            boolean allowed = i < colon ? c >= 'a' && c <= 'z'
                    : i == colon || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static boolean isCount(Long count) {
        return count != null && count >= 0 && count <= Bounds.MAX_EXACT_INTEGER;
    }

    private static boolean isTotal(BigDecimal total) {
        return total != null && total.signum() >= 0 && total.compareTo(MAX_TOTAL) <= 0
                && (total.scale() <= Bounds.FIGURE_DECIMALS
                        || total.stripTrailingZeros().scale() <= Bounds.FIGURE_DECIMALS);
    }
}
