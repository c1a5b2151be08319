package org.coalitiontracker.reporting.coalition;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Every change of the totals as this replica reads it, for the live stream. It reads {@code coalition-totals} in a
 * consumer group of its own, so that each replica pushes every change to its clients, not a share of them, and from
 * the start of the (compacted) topic, so that it also holds the newest totals of every scope: what it has read
 * before a client subscribes is in {@link #newest()}, what it reads after is in {@link #changes()}.
 */
@ApplicationScoped
public class LiveTotals {

    private final BroadcastProcessor<TotalsChanged> changes = BroadcastProcessor.create();
    private final Map<String, TotalsChanged> newest = new ConcurrentHashMap<>();

    @Incoming("coalition-totals-live")
    void receive(TotalsChanged change) {
        newest.merge(change.scope(), change, (known, next) -> next.version() > known.version() ? next : known);
        changes.onNext(change);
    }

    /** The changes from now on. */
    Multi<TotalsChanged> changes() {
        return changes;
    }

    /** The newest totals read so far of each scope. */
    Collection<TotalsChanged> newest() {
        return newest.values();
    }
}
