package org.coalitiontracker.membership.roster;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.membership.outbox.Outbox;

import io.smallrye.mutiny.Uni;

/** Records what happens to the roster as events in the outbox, inside the caller's transaction. */
@ApplicationScoped
class ClusterEvents {

    private final Outbox outbox;

    ClusterEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    Uni<Void> joined(Cluster cluster) {
        return outbox.record(cluster.id, ClusterJoined.TYPE, ClusterJoined.SCHEMA, ClusterJoined.of(cluster));
    }

    Uni<Void> figuresRevised(Cluster cluster, Figures previous) {
        return outbox.record(cluster.id, ClusterFiguresRevised.TYPE, ClusterFiguresRevised.SCHEMA,
                ClusterFiguresRevised.of(cluster, previous));
    }

    Uni<Void> withdrawn(Cluster cluster) {
        return outbox.record(cluster.id, ClusterWithdrawn.TYPE, ClusterWithdrawn.SCHEMA, ClusterWithdrawn.of(cluster));
    }
}
