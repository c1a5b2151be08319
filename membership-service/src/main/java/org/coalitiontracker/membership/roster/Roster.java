package org.coalitiontracker.membership.roster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.NotFoundException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The coalition's roster: who joined, and the events that tell the rest of the system. Each change runs in the
 * caller's transaction ({@link RosterChanges}) and records its event in the outbox there.
 */
@ApplicationScoped
public class Roster {

    private final ClusterEvents events;

    Roster(ClusterEvents events) {
        this.events = events;
    }

    /** Stores the cluster and its {@code ClusterJoined}: a member already is an {@link AlreadyMember}. */
    Uni<Cluster> join(JoinRequest request) {
        return Cluster.findSame(request.name(), request.country()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(new AlreadyMember(existing));
            }
            Cluster cluster = request.toCluster();
            return cluster.persistAndFlush()
                    .call(() -> events.joined(List.of(cluster)))
                    .replaceWith(cluster);
        });
    }

    /** What became of one request of many: the cluster it made, or the member it already was. */
    public record JoinOutcome(Cluster cluster, boolean joined) {
    }

    /**
     * Joins many clusters as {@link #join(JoinRequest)} joins one, in the caller's transaction: one query finds those
     * already members, and the new ones are stored together before their events. A request for a cluster an earlier
     * request of the same list made is already a member too.
     */
    Uni<List<JoinOutcome>> joinAll(List<JoinRequest> requests) {
        List<String> keys = requests.stream().map(request -> Cluster.nameKey(request.name())).distinct().toList();
        return Cluster.<Cluster> list("nameKey in ?1", keys).chain(found -> {
            Map<String, Cluster> members = new HashMap<>();
            found.forEach(member -> members.put(member.nameKey + "|" + member.country, member));
            List<JoinOutcome> outcomes = new ArrayList<>(requests.size());
            List<Cluster> joined = new ArrayList<>();
            for (JoinRequest request : requests) {
                String key = Cluster.nameKey(request.name()) + "|" + request.country();
                Cluster member = members.get(key);
                boolean joins = member == null;
                if (joins) {
                    member = request.toCluster();
                    members.put(key, member);
                    joined.add(member);
                }
                outcomes.add(new JoinOutcome(member, joins));
            }
            if (joined.isEmpty()) {
                return Uni.createFrom().item(outcomes);
            }
            return Panache.getSession()
                    // Their inserts go to the database in one batch rather than one round trip each.
                    .chain(session -> session.setBatchSize(joined.size()).persistAll(joined.toArray())
                            .chain(session::flush))
                    .chain(() -> events.joined(joined))
                    .replaceWith(outcomes);
        });
    }

    /** Replaces a member's figures; the event carries the previous ones so that totals can retract them. */
    Uni<Cluster> revise(UUID id, FiguresRevision revision) {
        return member(id).chain(cluster -> {
            Figures previous = Figures.of(cluster);
            cluster.emissionsReductionMtPerYear = Cluster.stored(revision.emissionsReductionMtPerYear());
            cluster.jobs = revision.jobs();
            cluster.gdpUsdBn = Cluster.stored(revision.gdpUsdBn());
            if (revision.figuresBasis() != null && !revision.figuresBasis().isBlank()) {
                cluster.figuresBasis = revision.figuresBasis().strip();
            }
            cluster.version++;
            return events.figuresRevised(cluster, previous).replaceWith(cluster);
        });
    }

    /** Records that a member left on a date; it stays on the roster, and no longer counts from that date on. */
    Uni<Cluster> withdraw(UUID id, Withdrawal withdrawal) {
        return member(id).chain(cluster -> {
            if (withdrawal.withdrawnOn().isBefore(cluster.joinedOn)) {
                return Uni.createFrom().failure(new InvalidField("withdrawnOn",
                        "must not be before the cluster joined (" + cluster.joinedOn + ")"));
            }
            cluster.withdrawnOn = withdrawal.withdrawnOn();
            cluster.withdrawalReason = withdrawal.reason();
            cluster.version++;
            return events.withdrawn(cluster).replaceWith(cluster);
        });
    }

    /** The cluster, locked for this transaction so that changes to it are applied one after the other. */
    private static Uni<Cluster> member(UUID id) {
        return Cluster.<Cluster> findById(id, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> new NotFoundException("No cluster " + id))
                .invoke(cluster -> {
                    if (cluster.withdrawnOn != null) {
                        throw new NoLongerMember(cluster);
                    }
                });
    }

    /** A change to a cluster that has withdrawn. */
    public static class NoLongerMember extends RuntimeException {
        NoLongerMember(Cluster cluster) {
            super(cluster.name + " (" + cluster.country + ") withdrew on " + cluster.withdrawnOn);
        }
    }

    /** A request that is well-formed but wrong for this cluster, such as a withdrawal before it joined. */
    public static class InvalidField extends RuntimeException {
        public final String field;

        InvalidField(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    /** The cluster asked to join is a member already (same name, ignoring case and accents, and country). */
    public static class AlreadyMember extends RuntimeException {
        public final transient Cluster existing;

        AlreadyMember(Cluster existing) {
            super(existing.name + " (" + existing.country + ") is a member already");
            this.existing = existing;
        }
    }
}
