package org.coalitiontracker.membership.roster;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.NotFoundException;

import org.coalitiontracker.membership.outbox.Outbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * The coalition's roster: who joined, and the events that tell the rest of the system. Each change runs in the
 * caller's transaction ({@link RosterChanges}) and records its event in the outbox there.
 */
@ApplicationScoped
public class Roster {

    /**
     * Stores those clusters of a JSON array that are not members yet, the first of any with the same name key and
     * country, and returns their ids: the unique index on both, not a query before, decides, so that a simultaneous
     * join of the same cluster waits for the other and then finds it a member. Cast from text as the outbox's insert.
     */
    private static final Outbox.Change STORE = Outbox.change("""
            INSERT INTO cluster (id, name, name_key, country, joined_on, sectors, port_anchored,
                    emissions_reduction_mt_per_year, jobs, gdp_usd_bn, figures_basis, version, recorded_at)
            SELECT c.id, c.name, c.name_key, c.country, c.joined_on, c.sectors, c.port_anchored,
                    c.emissions_reduction_mt_per_year, c.jobs, c.gdp_usd_bn, c.figures_basis, c.version, c.recorded_at
            FROM ROWS FROM (jsonb_to_recordset(cast(cast(?1 AS text) AS jsonb)) AS (id uuid, name text, name_key text,
                    country text, joined_on date, sectors text[], port_anchored boolean,
                    emissions_reduction_mt_per_year numeric, jobs bigint, gdp_usd_bn numeric, figures_basis text,
                    version integer, recorded_at timestamptz))
                WITH ORDINALITY AS c(id, name, name_key, country, joined_on, sectors, port_anchored,
                    emissions_reduction_mt_per_year, jobs, gdp_usd_bn, figures_basis, version, recorded_at, n)
            ORDER BY c.n
            ON CONFLICT (name_key, country) DO NOTHING
            RETURNING id AS cluster_id""");

    /** One cluster, as {@link #STORE} stores many: its values as parameters, which PostgreSQL reads faster. */
    private static final Outbox.Change STORE_ONE = Outbox.changeOfOne("""
            INSERT INTO cluster (id, name, name_key, country, joined_on, sectors, port_anchored,
                    emissions_reduction_mt_per_year, jobs, gdp_usd_bn, figures_basis, version, recorded_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            ON CONFLICT (name_key, country) DO NOTHING
            RETURNING id AS cluster_id""", 13);

    private final ClusterEvents events;
    private final ObjectMapper mapper;

    Roster(ClusterEvents events, ObjectMapper mapper) {
        this.events = events;
        this.mapper = mapper;
    }

    /** Stores the cluster and its {@code ClusterJoined}: a member already is an {@link AlreadyMember}. */
    Uni<Cluster> join(JoinRequest request) {
        return store(List.of(request.toCluster())).map(outcomes -> {
            JoinOutcome outcome = outcomes.get(0);
            if (!outcome.joined()) {
                throw new AlreadyMember(outcome.cluster());
            }
            return outcome.cluster();
        });
    }

    /** What became of one request of many: the cluster it made, or the member it already was. */
    public record JoinOutcome(Cluster cluster, boolean joined) {
    }

    /**
     * Joins many clusters as {@link #join(JoinRequest)} joins one, in the caller's transaction: one query finds those
     * already members, and one statement stores the others with their events. A request for a cluster an earlier
     * request of the same list made is already a member too.
     */
    Uni<List<JoinOutcome>> joinAll(List<JoinRequest> requests) {
        List<Cluster> candidates = requests.stream().map(JoinRequest::toCluster).toList();
        return membersAlready(candidates).chain(members -> {
            List<Cluster> newcomers = candidates.stream()
                    .filter(candidate -> !members.containsKey(sameness(candidate))).toList();
            return store(newcomers).map(stored -> {
                Map<UUID, JoinOutcome> outcomeOfNewcomer = new HashMap<>();
                for (int i = 0; i < newcomers.size(); i++) {
                    outcomeOfNewcomer.put(newcomers.get(i).id, stored.get(i));
                }
                return candidates.stream().map(candidate -> members.containsKey(sameness(candidate))
                        ? new JoinOutcome(members.get(sameness(candidate)), false)
                        : outcomeOfNewcomer.get(candidate.id)).toList();
            });
        });
    }

    /**
     * Stores those of the candidates that are not members yet, each with its {@code ClusterJoined}, in one statement:
     * atomic by itself, so it needs no transaction of the caller's. Answers the outcome of each candidate, in order.
     */
    private Uni<List<JoinOutcome>> store(List<Cluster> candidates) {
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Uni<Integer> storing = candidates.size() == 1
                ? events.joined(STORE_ONE, ClusterRow.of(candidates.get(0)).values(), candidates)
                : events.joined(STORE, List.of(rows(candidates)), candidates);
        return storing.chain(stored -> {
            if (stored == candidates.size()) {
                return Uni.createFrom().item(candidates.stream().map(candidate -> new JoinOutcome(candidate, true)).toList());
            }
            // Some were members already: an earlier candidate of the list or a simultaneous join made them.
            return membersAlready(candidates).map(members -> candidates.stream().map(candidate -> {
                Cluster member = members.get(sameness(candidate));
                return member.id.equals(candidate.id) ? new JoinOutcome(candidate, true) : new JoinOutcome(member, false);
            }).toList());
        });
    }

    /** The members the candidates already are, by {@link #sameness(Cluster)}. */
    private static Uni<Map<String, Cluster>> membersAlready(List<Cluster> candidates) {
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Cluster.<Cluster> list("nameKey in ?1", candidates.stream().map(c -> c.nameKey).distinct().toList())
                .map(found -> {
                    Map<String, Cluster> members = new HashMap<>();
                    found.forEach(member -> members.put(sameness(member), member));
                    return members;
                });
    }

    /** Two clusters with the same name key and country are the same cluster. */
    private static String sameness(Cluster cluster) {
        return cluster.nameKey + "|" + cluster.country;
    }

    /**
     * A cluster as {@link #STORE} and {@link #STORE_ONE} read it: its fields in the order of their columns, named as
     * them in JSON.
     */
    private record ClusterRow(UUID id, String name, @JsonProperty("name_key") String nameKey, String country,
            @JsonProperty("joined_on") LocalDate joinedOn, String[] sectors,
            @JsonProperty("port_anchored") Boolean portAnchored,
            @JsonProperty("emissions_reduction_mt_per_year") BigDecimal emissionsReductionMtPerYear, long jobs,
            @JsonProperty("gdp_usd_bn") BigDecimal gdpUsdBn, @JsonProperty("figures_basis") String figuresBasis,
            int version, @JsonProperty("recorded_at") Instant recordedAt) {

        static ClusterRow of(Cluster cluster) {
            return new ClusterRow(cluster.id, cluster.name, cluster.nameKey, cluster.country, cluster.joinedOn,
                    cluster.sectors, cluster.portAnchored, cluster.emissionsReductionMtPerYear, cluster.jobs,
                    cluster.gdpUsdBn, cluster.figuresBasis, cluster.version, cluster.recordedAt);
        }

        /** The parameters of {@link #STORE_ONE}. */
        List<Object> values() {
            return Arrays.asList(id, name, nameKey, country, joinedOn, sectors, portAnchored,
                    emissionsReductionMtPerYear, jobs, gdpUsdBn, figuresBasis, version, recordedAt);
        }
    }

    /** The clusters as the JSON array {@link #STORE} reads. */
    private String rows(List<Cluster> clusters) {
        try {
            return mapper.writeValueAsString(clusters.stream().map(ClusterRow::of).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
