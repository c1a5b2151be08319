package org.coalitiontracker.metrics.totals;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.contracts.Rfc3339;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What a batch of events reads and writes in this service's database: the partitions' positions, the clusters'
 * contributions ({@link ContributionRows}) and the scopes' totals. A batch's changes go in as a few set-based
 * statements (arrays unnested server-side), so that the database's write rate, not round trips, bounds how fast
 * events are applied. Figures travel as whole thousandths ({@link Sums}), as in {@link ContributionRows}. The totals
 * are read by {@link TotalsQueries}.
 */
@ApplicationScoped
public class TallyStore {

    private final Pool pool;

    TallyStore(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    /** The next offset to apply of each partition, locked until the transaction ends so that one instance applies. */
    Uni<Map<Integer, Long>> lockPositions(SqlConnection connection, String topic, Collection<Integer> partitions) {
        Integer[] sorted = partitions.stream().sorted().toArray(Integer[]::new);
        return connection.preparedQuery("""
                INSERT INTO consumer_position (topic, partition, next_offset) SELECT $1, p, 0 FROM unnest($2::int4[]) p
                ON CONFLICT (topic, partition) DO NOTHING""").execute(Tuple.of(topic, sorted))
                .chain(() -> connection.preparedQuery("""
                        SELECT partition, next_offset FROM consumer_position WHERE topic = $1 AND partition = ANY($2)
                        ORDER BY partition FOR UPDATE""").execute(Tuple.of(topic, sorted)))
                .map(rows -> toMap(rows, row -> row.getInteger("partition"), row -> row.getLong("next_offset")));
    }

    /** Where each partition of the topic was left, for seeking on assignment. */
    Uni<Map<Integer, Long>> positions(String topic) {
        return pool.preparedQuery("SELECT partition, next_offset FROM consumer_position WHERE topic = $1")
                .execute(Tuple.of(topic))
                .map(rows -> toMap(rows, row -> row.getInteger("partition"), row -> row.getLong("next_offset")));
    }

    /**
     * Stores the contributions of the clusters that are absent, each as it is after the batch, and returns which
     * were: a batch's clusters are mostly new ones (and all are in a replay), so inserting them first spares reading
     * them. Under read committed, a cluster that another instance inserts meanwhile waits for its commit and is then
     * left alone, as one stored before.
     */
    Uni<Set<UUID>> join(SqlConnection connection, Map<UUID, Applied> contributions) {
        if (contributions.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return connection.preparedQuery(ContributionRows.INSERT)
                .execute(ContributionRows.inserted(List.copyOf(contributions.entrySet())))
                .map(rows -> {
                    Set<UUID> joined = new HashSet<>();
                    rows.forEach(row -> joined.add(row.getUUID("cluster_id")));
                    return joined;
                });
    }

    /**
     * What the clusters add now, as this transaction reads them; clusters never seen are absent. Not locked: the
     * write checks that none of them changed since (see {@link #write}), which costs the database far less than a
     * row lock on each.
     */
    Uni<Map<UUID, Contribution>> contributions(SqlConnection connection, Collection<UUID> clusters) {
        if (clusters.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return connection.preparedQuery(ContributionRows.SELECT).execute(Tuple.of(clusters.toArray(UUID[]::new)))
                .map(rows -> toMap(rows, row -> row.getUUID("cluster_id"), ContributionRows::contribution));
    }

    /**
     * Writes the rest of a batch, once its new clusters {@link #join joined}: the new contributions of clusters
     * stored before, the ledger's changes and the partitions' new positions, in the caller's transaction. Returns the
     * new totals of every scope the batch touched. Fails with {@link ContributionsChanged}, and the caller must roll
     * back, if a cluster's stored contribution is no longer the one the ledger replaced.
     */
    Uni<List<TotalsChanged>> write(SqlConnection connection, Map<UUID, Applied> replacements, Ledger ledger,
            String topic, Map<Integer, Long> nextOffsets) {
        // Independent statements are sent together: the connection pipelines them.
        return Uni.combine().all().unis(
                replace(connection, replacements),
                advance(connection, topic, nextOffsets),
                ledger.isEmpty() ? Uni.createFrom().item(List.<TotalsChanged> of()) : saveTotals(connection, ledger))
                .with((contributionsSaved, positionsSaved, totals) -> totals);
    }

    /**
     * A cluster's contribution after the newest event applied for it in a batch, and the version it replaces (null
     * if the cluster joins).
     */
    record Applied(Contribution contribution, String eventId, Integer replacedVersion) {
    }

    /**
     * Some of a batch's clusters changed between reading and writing them: another instance applied their events
     * (only possible if their records were spread over partitions). Rolled back and retried, the batch reads them anew.
     */
    static final class ContributionsChanged extends RuntimeException {
        ContributionsChanged(long changed) {
            super(changed + " of the batch's clusters changed since the batch read them");
        }
    }

    /**
     * Updates the clusters where their version is still the one replaced. Under read committed, the statement sees
     * rows committed meanwhile, so a row that changed is left alone and the count falls short.
     */
    private static Uni<Void> replace(SqlConnection connection, Map<UUID, Applied> replacements) {
        if (replacements.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery(ContributionRows.UPDATE)
                .execute(ContributionRows.replaced(List.copyOf(replacements.entrySet()))).map(rows -> {
                    long changed = replacements.size() - rows.rowCount();
                    if (changed != 0) {
                        throw new ContributionsChanged(changed);
                    }
                    return null;
                });
    }

    /** Moves the partitions' positions, in the caller's transaction, which must have locked them. */
    Uni<Void> advance(SqlConnection connection, String topic, Map<Integer, Long> nextOffsets) {
        return connection.preparedQuery("""
                UPDATE consumer_position p SET next_offset = u.next_offset
                FROM unnest($2::int4[], $3::int8[]) AS u(partition, next_offset)
                WHERE p.topic = $1 AND p.partition = u.partition""")
                .execute(Tuple.of(topic, nextOffsets.keySet().toArray(Integer[]::new),
                        nextOffsets.values().toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /**
     * Adds the ledger's changes to the scopes' totals, and moves each scope's current clusters per country, from which
     * its distinct countries follow: a country counts in a scope while it has clusters there. One statement, which
     * returns the new totals alone: a batch moves thousands of (scope, country) pairs and the few that cross zero
     * change the count. The pairs are locked first, then the totals, each in the order of their names, as in every
     * instance. A scope's version is drawn while its row is locked, so that its versions grow in the order its changes
     * commit, whichever instance makes them. The last event is the newest the totals reflect: a batch that brings an
     * older one (from a partition that lags) does not replace it.
     */
    private static Uni<List<TotalsChanged>> saveTotals(SqlConnection connection, Ledger ledger) {
        SortedMap<String, Ledger.ScopeChange> changes = ledger.changes();
        int size = changes.size();
        String[] scopes = new String[size];
        Long[] clusters = new Long[size];
        Long[] emissions = new Long[size];
        Long[] jobs = new Long[size];
        Long[] gdp = new Long[size];
        String[] eventIds = new String[size];
        OffsetDateTime[] eventTimes = new OffsetDateTime[size];
        List<String> pairScopes = new ArrayList<>();
        List<String> pairCountries = new ArrayList<>();
        List<Long> pairChanges = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Ledger.ScopeChange> entry : changes.entrySet()) {
            Ledger.ScopeChange change = entry.getValue();
            scopes[i] = entry.getKey();
            clusters[i] = change.clusters;
            emissions[i] = change.emissionsKtPerYear;
            jobs[i] = change.jobs;
            gdp[i] = change.gdpUsdMillion;
            eventIds[i] = change.lastEventId;
            eventTimes[i] = eventTime(change.lastEventTime);
            new TreeMap<>(change.clustersByCountry).forEach((country, by) -> {
                if (by != 0) {
                    pairScopes.add(entry.getKey());
                    pairCountries.add(country);
                    pairChanges.add(by);
                }
            });
            i++;
        }
        return connection.preparedQuery("""
                WITH by_country AS (SELECT * FROM unnest($8::text[], $9::text[], $10::int8[]) AS b(scope, country, by)),
                present AS (
                    INSERT INTO scope_country AS sc (scope, country, clusters) SELECT scope, country, by FROM by_country
                    ON CONFLICT (scope, country) DO UPDATE SET clusters = sc.clusters + excluded.clusters
                    RETURNING scope, country, clusters),
                countries AS (
                    SELECT p.scope, sum((p.clusters > 0)::int - (p.clusters - b.by > 0)::int) AS change
                    FROM present p JOIN by_country b ON b.scope = p.scope AND b.country = p.country GROUP BY p.scope)
                INSERT INTO scope_totals AS t (scope, clusters, countries, emissions_reduction_mt_per_year, jobs,
                    gdp_usd_bn, version, last_event_id, last_event_at, updated_at)
                SELECT s, c, coalesce(countries.change, 0), e * 0.001, j, g * 0.001, nextval('totals_version'), ev, et,
                    clock_timestamp()
                FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::int8[], $6::text[], $7::timestamptz[])
                    WITH ORDINALITY AS u(s, c, e, j, g, ev, et, n)
                    LEFT JOIN countries ON countries.scope = u.s
                ORDER BY u.n
                ON CONFLICT (scope) DO UPDATE SET clusters = t.clusters + excluded.clusters,
                    countries = t.countries + excluded.countries,
                    emissions_reduction_mt_per_year = t.emissions_reduction_mt_per_year
                        + excluded.emissions_reduction_mt_per_year,
                    jobs = t.jobs + excluded.jobs, gdp_usd_bn = t.gdp_usd_bn + excluded.gdp_usd_bn,
                    version = nextval('totals_version'),
                    last_event_id = CASE WHEN excluded.last_event_at IS NULL OR t.last_event_at IS NULL
                        OR excluded.last_event_at >= t.last_event_at THEN excluded.last_event_id
                        ELSE t.last_event_id END,
                    last_event_at = CASE WHEN excluded.last_event_at IS NULL OR t.last_event_at IS NULL
                        OR excluded.last_event_at >= t.last_event_at THEN excluded.last_event_at
                        ELSE t.last_event_at END,
                    updated_at = clock_timestamp()
                RETURNING\s""" + TotalsRows.COLUMNS)
                .execute(Tuple.tuple(List.of(scopes, clusters, emissions, jobs, gdp, eventIds, eventTimes,
                        pairScopes.toArray(String[]::new), pairCountries.toArray(String[]::new),
                        pairChanges.toArray(Long[]::new))))
                .map(TotalsRows::totals);
    }

    /** An event's ce_time; a time that cannot be read leaves the totals' freshness unknown rather than fail them. */
    private static OffsetDateTime eventTime(String text) {
        Instant time = Rfc3339.instant(text);
        return time == null ? null : time.atOffset(ZoneOffset.UTC);
    }

    private static <K, V> Map<K, V> toMap(RowSet<Row> rows, Function<Row, K> key, Function<Row, V> value) {
        Map<K, V> map = new HashMap<>();
        for (Row row : rows) {
            map.put(key.apply(row), value.apply(row));
        }
        return map;
    }
}
