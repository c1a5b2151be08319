package org.coalitiontracker.metrics.totals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The net change a batch of events makes to the totals, built in memory so that it reaches the database in a few
 * set-based statements. Keys are sorted, so that every instance locks rows in the same order.
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
    final Map<String, Sums> current = new TreeMap<>();
    final Map<String, String> lastEventId = new LinkedHashMap<>();
    /** Change of each scope's current clusters per country, from which its distinct countries follow. */
    final Map<ScopeCountry, Long> currentClusters = new TreeMap<>();

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
        for (String scope : contribution.scopes()) {
            lastEventId.put(scope, eventId);
            current.putIfAbsent(scope, Sums.ZERO);
            if (contribution.current()) {
                current.merge(scope, sums, Sums::plus);
                currentClusters.merge(new ScopeCountry(scope, country), (long) sign, Long::sum);
            }
        }
    }
}
