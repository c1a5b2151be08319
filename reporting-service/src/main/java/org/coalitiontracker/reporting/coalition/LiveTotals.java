package org.coalitiontracker.reporting.coalition;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Every change of the totals as it arrives, for the live stream. It reads {@code coalition-totals} in a consumer
 * group of this replica's own, so that each replica pushes every change to its clients, not a share of them.
 */
@ApplicationScoped
public class LiveTotals {

    private final BroadcastProcessor<TotalsChanged> changes = BroadcastProcessor.create();

    @Incoming("coalition-totals-live")
    void receive(TotalsChanged change) {
        changes.onNext(change);
    }

    /** The changes from now on. */
    Multi<TotalsChanged> changes() {
        return changes;
    }
}
