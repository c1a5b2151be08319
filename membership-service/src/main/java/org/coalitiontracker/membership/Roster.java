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
     * Stores the cluster and its {@code ClusterJoined} in the outbox in one transaction, so that the event exists if
     * and only if the join does. {@link OutboxRelay} takes it to Kafka.
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
