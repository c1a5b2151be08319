package org.coalitiontracker.reporting.coalition;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Materializes {@code coalition-totals} into this service's own database, newest version per scope. */
@ApplicationScoped
public class ViewUpdater {

    @Incoming("coalition-totals")
    @WithTransaction
    public Uni<Void> refresh(TotalsChanged change) {
        return ScopeView.<ScopeView> findById(change.scope()).chain(view -> {
            if (view == null) {
                view = new ScopeView();
                view.scope = change.scope();
            }
            return view.refresh(change) ? view.persist().replaceWithVoid() : Uni.createFrom().voidItem();
        });
    }
}
