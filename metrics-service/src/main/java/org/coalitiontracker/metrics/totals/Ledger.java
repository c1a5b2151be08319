package org.coalitiontracker.metrics.totals;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The net change a batch of events makes to the totals, built in memory so that it reaches the database in a few
 * set-based statements. Every event of a batch passes through here for each of its scopes, so each scope's change
 * is one mutable accumulator, found with one lookup. {@link #changes()} gives them sorted by scope, so that every
 * instance locks rows in the same order.
 */
final class Ledger {

    /**
     * How one scope's current totals change, and the id and time (ce_time) of the newest event that changed it: the
     * one of the newest record (by its timestamp), as both consumers of cluster-events see it.
     */
    static final class ScopeChange {
        long clusters;
        long emissionsKtPerYear;
        long jobs;
        long gdpUsdMillion;
        String lastEventId;
        String lastEventTime;
        long lastEventTimestamp = Long.MIN_VALUE;
        /** Change of the scope's current clusters per country, from which its distinct countries follow. */
        final Map<String, Long> clustersByCountry = new HashMap<>();

        private void add(Sums sums, int sign) {
            clusters = Math.addExact(clusters, sign * sums.clusters());
            emissionsKtPerYear = Math.addExact(emissionsKtPerYear, sign * sums.emissionsKtPerYear());
            jobs = Math.addExact(jobs, sign * sums.jobs());
            gdpUsdMillion = Math.addExact(gdpUsdMillion, sign * sums.gdpUsdMillion());
        }
    }

    private final Map<String, ScopeChange> changes = new HashMap<>();

    /** Takes back what the cluster added ({@code before}, null if it is new) and adds what it adds now. */
    void replace(Contribution before, Contribution after, String eventId, String eventTime, long timestamp) {
        if (before != null) {
            record(before, -1, eventId, eventTime, timestamp);
        }
        record(after, 1, eventId, eventTime, timestamp);
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Each scope the batch touched, with its change, by scope name. */
    SortedMap<String, ScopeChange> changes() {
        return new TreeMap<>(changes);
    }

    private void record(Contribution contribution, int sign, String eventId, String eventTime, long timestamp) {
        for (String scope : contribution.scopes()) {
            ScopeChange change = changes.computeIfAbsent(scope, name -> new ScopeChange());
            if (timestamp >= change.lastEventTimestamp) {
                change.lastEventId = eventId;
                change.lastEventTime = eventTime;
                change.lastEventTimestamp = timestamp;
            }
            if (contribution.current()) {
                change.add(contribution.sums(), sign);
                change.clustersByCountry.merge(contribution.country(), (long) sign, Long::sum);
            }
        }
    }
}
