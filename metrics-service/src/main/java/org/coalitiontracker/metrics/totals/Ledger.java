package org.coalitiontracker.metrics.totals;

import java.util.HashMap;
import java.util.Map;

/**
 * The net change a batch of events makes to the totals, built in memory so that it reaches the database in a few
 * set-based statements. {@link TotalsStore} writes its keys in sorted order, so that every instance locks rows in
 * the same order; hash maps here, since every event of a batch passes through them.
 */
final class Ledger {

    record ScopeCountry(String scope, String country) implements Comparable<ScopeCountry> {
        @Override
        public int compareTo(ScopeCountry other) {
            int byScope = scope.compareTo(other.scope);
            return byScope != 0 ? byScope : country.compareTo(other.country);
        }
    }

    /** Change of each scope's current totals, and the id of the last event that changed it. */
    final Map<String, Sums> current = new HashMap<>();
    final Map<String, String> lastEventId = new HashMap<>();
    /** Change of each scope's current clusters per country, from which its distinct countries follow. */
    final Map<ScopeCountry, Long> currentClusters = new HashMap<>();

    /** Takes back what the cluster added ({@code before}, null if it is new) and adds what it adds now. */
    void replace(Contribution before, Contribution after, String eventId) {
        if (before != null) {
            record(before, -1, eventId);
        }
        record(after, 1, eventId);
    }

    boolean isEmpty() {
        return lastEventId.isEmpty();
    }

    private void record(Contribution contribution, int sign, String eventId) {
        Sums sums = sign > 0 ? contribution.sums() : contribution.sums().negate();
        String country = contribution.country();
        boolean counts = contribution.current();
        for (String scope : contribution.scopes()) {
            lastEventId.put(scope, eventId);
            if (counts) {
                current.merge(scope, sums, Sums::plus);
                currentClusters.merge(new ScopeCountry(scope, country), (long) sign, Long::sum);
            } else {
                current.putIfAbsent(scope, Sums.ZERO);
            }
        }
    }
}
