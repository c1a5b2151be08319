package org.coalitiontracker.membership;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.NotFoundException;

import org.hibernate.exception.ConstraintViolationException;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** The coalition's roster: who joined, and the events that tell the rest of the system. */
@ApplicationScoped
public class Roster {

    /** PostgreSQL's SQLSTATE for a unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";

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
        return newMember(request);
    }

    /** A join's outcome: the cluster, and whether this answers a retry of a join already made with the same key. */
    public record Joined(Cluster cluster, boolean replayed) {
    }

    /**
     * Joins as {@link #join(JoinRequest)} does, remembering {@code idempotencyKey} in the same transaction: a retry
     * with the same key and body returns the cluster the first request made, instead of a conflict.
     */
    @WithTransaction
    public Uni<Joined> join(JoinRequest request, String idempotencyKey, String requestHash) {
        return answerFor(idempotencyKey, requestHash).chain(answered -> answered != null
                ? Uni.createFrom().item(answered)
                : newMember(request).call(cluster -> {
                    JoinIdempotencyKey key = new JoinIdempotencyKey();
                    key.key = idempotencyKey;
                    key.requestHash = requestHash;
                    key.clusterId = cluster.id;
                    key.createdAt = Instant.now();
                    return key.persist();
                }).map(cluster -> new Joined(cluster, false))
                        // A simultaneous retry with this key may have made the member since we looked: its answer.
                        .onFailure(AlreadyMember.class).recoverWithUni(conflict -> answerFor(idempotencyKey,
                                requestHash).onItem().ifNull().failWith(conflict)));
    }

    /** The answer a join with this key already got, or null if the key is new. */
    private static Uni<Joined> answerFor(String idempotencyKey, String requestHash) {
        return JoinIdempotencyKey.<JoinIdempotencyKey> findById(idempotencyKey).chain(known -> {
            if (known == null) {
                return Uni.createFrom().nullItem();
            }
            if (!known.requestHash.equals(requestHash)) {
                return Uni.createFrom().failure(new InvalidField("Idempotency-Key",
                        "was already used with a different request"));
            }
            return Cluster.<Cluster> findById(known.clusterId).map(cluster -> new Joined(cluster, true));
        });
    }

    /**
     * Whether a join failed because a simultaneous join of the same cluster committed first: both found no member,
     * and the unique index on name and country let only one in.
     */
    static boolean lostRaceToSameJoin(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConstraintViolationException violation
                    && UNIQUE_VIOLATION.equals(violation.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private Uni<Cluster> newMember(JoinRequest request) {
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

    /** Replaces a member's figures; the event carries the previous ones so that totals can retract them. */
    @WithTransaction
    public Uni<Cluster> revise(UUID id, FiguresRevision revision) {
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
    @WithTransaction
    public Uni<Cluster> withdraw(UUID id, Withdrawal withdrawal) {
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
        final String field;

        InvalidField(String field, String message) {
            super(message);
            this.field = field;
        }
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
