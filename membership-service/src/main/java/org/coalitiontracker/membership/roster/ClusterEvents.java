package org.coalitiontracker.membership.roster;

import java.util.List;

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

    /**
     * Runs {@code join}, which stores some of the clusters, with the {@code ClusterJoined} events of those it stored, in
     * the order of the list; answers how many it stored.
     */
    Uni<Integer> joined(Outbox.Change join, List<?> parameters, List<Cluster> clusters) {
        return outbox.recordWith(join, parameters, clusters.stream()
                .map(cluster -> new Outbox.Entry(cluster.id, ClusterJoined.TYPE, ClusterJoined.SCHEMA,
                        ClusterJoined.of(cluster)))
                .toList());
    }

    Uni<Void> figuresRevised(Cluster cluster, Figures previous) {
        return outbox.record(new Outbox.Entry(cluster.id, ClusterFiguresRevised.TYPE, ClusterFiguresRevised.SCHEMA,
                ClusterFiguresRevised.of(cluster, previous)));
    }

    Uni<Void> withdrawn(Cluster cluster) {
        return outbox.record(new Outbox.Entry(cluster.id, ClusterWithdrawn.TYPE, ClusterWithdrawn.SCHEMA,
                ClusterWithdrawn.of(cluster)));
    }
}
