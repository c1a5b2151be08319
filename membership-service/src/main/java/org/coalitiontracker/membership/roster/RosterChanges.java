package org.coalitiontracker.membership.roster;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.membership.outbox.OutboxRelay;
import org.hibernate.exception.ConstraintViolationException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Every change of the roster, as the API and imports ask for it: each runs with its outbox row (and, for a join with
 * an Idempotency-Key, the key) in one transaction, runs to its end even if the caller leaves, and once committed
 * wakes the {@link OutboxRelay}.
 */
@ApplicationScoped
public class RosterChanges {

    /** PostgreSQL's SQLSTATE for a unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Roster roster;
    private final OutboxRelay relay;
    private final ObjectMapper mapper;

    RosterChanges(Roster roster, OutboxRelay relay, ObjectMapper mapper) {
        this.roster = roster;
        this.relay = relay;
        this.mapper = mapper;
    }

    /** A join's outcome: the cluster, and whether this answers a retry of a join already made with the same key. */
    public record Joined(Cluster cluster, boolean replayed) {
    }

    /**
     * A cluster joins; a member already is an {@link Roster.AlreadyMember}. Its one statement is atomic by itself, so
     * no transaction is begun and committed around it: two round trips to the database fewer.
     */
    public Uni<Cluster> join(JoinRequest request) {
        return evenIfCallerLeaves(Panache.withSession(() -> roster.join(request)).invoke(relay::nudge));
    }

    /** Many clusters join in one transaction; those already members are outcomes too, not failures. */
    public Uni<List<Roster.JoinOutcome>> joinAll(List<JoinRequest> requests) {
        return commit(() -> roster.joinAll(requests));
    }

    /**
     * Joins as {@link #join(JoinRequest)} does, remembering {@code idempotencyKey} (null for none) with a hash of the
     * request: a retry with the same key and body answers the cluster the first request made instead of a conflict.
     */
    public Uni<Joined> join(JoinRequest request, String idempotencyKey) {
        if (idempotencyKey == null) {
            return join(request).map(cluster -> new Joined(cluster, false));
        }
        String requestHash = hash(request);
        return commit(() -> answerFor(idempotencyKey, requestHash).chain(answered -> answered != null
                ? Uni.createFrom().item(answered)
                : roster.join(request).call(cluster -> {
                    JoinIdempotencyKey key = new JoinIdempotencyKey();
                    key.key = idempotencyKey;
                    key.requestHash = requestHash;
                    key.clusterId = cluster.id;
                    key.createdAt = Instant.now();
                    return key.persist();
                }).map(cluster -> new Joined(cluster, false))
                        // A simultaneous retry with this key may have made the member since we looked: its answer.
                        .onFailure(Roster.AlreadyMember.class).recoverWithUni(conflict -> answerFor(idempotencyKey,
                                requestHash).onItem().ifNull().failWith(conflict))));
    }

    /** Replaces a member's figures; emits ClusterFiguresRevised. */
    public Uni<Cluster> revise(UUID id, FiguresRevision revision) {
        return commit(() -> roster.revise(id, revision));
    }

    /** Records that a member left the coalition on a date; emits ClusterWithdrawn. */
    public Uni<Cluster> withdraw(UUID id, Withdrawal withdrawal) {
        return commit(() -> roster.withdraw(id, withdrawal));
    }

    /**
     * Runs a write to its end even if the caller hangs up first. Otherwise the closed connection cancels it midway and
     * Hibernate Reactive closes the session under a running statement: the change is rolled back and the log fills with
     * errors. Either way nothing half-done is stored; this way a retry with an Idempotency-Key finds the change made.
     */
    public static <T> Uni<T> evenIfCallerLeaves(Uni<T> write) {
        return Uni.createFrom().emitter(caller -> write.subscribe().with(caller::complete, caller::fail));
    }

    /**
     * Runs a change in a transaction of its own and wakes the relay once it committed. A change that lost a race to
     * a simultaneous one of the same cluster (both found no member; the unique index let one in) runs again, and
     * finds the winner: a 409, or the original answer for its key.
     */
    private <T> Uni<T> commit(Supplier<Uni<T>> change) {
        return evenIfCallerLeaves(Uni.createFrom().deferred(() -> Panache.withTransaction(change))
                .onFailure(RosterChanges::lostRaceToSameJoin).retry().atMost(1)
                .invoke(relay::nudge));
    }

    /** The answer a join with this key already got, or null if the key is new. */
    private static Uni<Joined> answerFor(String idempotencyKey, String requestHash) {
        return JoinIdempotencyKey.<JoinIdempotencyKey> findById(idempotencyKey).chain(known -> {
            if (known == null) {
                return Uni.createFrom().nullItem();
            }
            if (!known.requestHash.equals(requestHash)) {
                return Uni.createFrom().failure(new Roster.InvalidField("Idempotency-Key",
                        "was already used with a different request"));
            }
            return Cluster.<Cluster> findById(known.clusterId).map(cluster -> new Joined(cluster, true));
        });
    }

    private static boolean lostRaceToSameJoin(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConstraintViolationException violation
                    && UNIQUE_VIOLATION.equals(violation.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The request as the service read it, so that formatting differences do not make two retries differ. */
    private String hash(JoinRequest request) {
        try {
            byte[] canonical = mapper.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
