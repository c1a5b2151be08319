package org.coalitiontracker.membership;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** The coalition's roster: who joined, and the events that tell the rest of the system. */
@ApplicationScoped
public class Roster {

    private final ClusterEvents events;

    Roster(ClusterEvents events) {
        this.events = events;
    }

    /**
     * Stores the cluster and publishes its {@code ClusterJoined} inside one transaction: if the broker refuses the
     * event, the join is rolled back and the caller sees an error, so no stored join goes unannounced.
     */
    @WithTransaction
    public Uni<Cluster> join(JoinRequest request) {
        return Cluster.findSame(request.name(), request.country()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(new AlreadyMember(existing));
            }
            Cluster cluster = request.toCluster();
            return cluster.persistAndFlush()
                    .call(() -> events.joined(cluster))
                    .replaceWith(cluster);
        });
    }

    /** The cluster asked to join is a member already (same name, ignoring case and accents, and country). */
    public static class AlreadyMember extends RuntimeException {
        final transient Cluster existing;

        AlreadyMember(Cluster existing) {
            super(existing.name + " (" + existing.country + ") is a member already");
            this.existing = existing;
        }
    }
}
