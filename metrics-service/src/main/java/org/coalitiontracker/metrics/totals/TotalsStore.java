package org.coalitiontracker.metrics.totals;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The totals in this service's database. A batch's changes go in as a few set-based statements (arrays unnested
 * server-side), so that the database's write rate, not round trips, bounds how fast events are applied. Figures
 * travel as whole thousandths ({@link Sums}) in binary int8 and become numeric(…, 3) in the database by
 * {@code * 0.001}, exactly: cheaper both ways than decimal text.
 */
@ApplicationScoped
public class TotalsStore {

    private static final String TOTALS_COLUMNS = """
            scope, version, last_event_id, last_event_at, clusters, countries, emissions_reduction_mt_per_year, jobs,
            gdp_usd_bn, updated_at""";

    private final Pool pool;

    TotalsStore(Pool pool) {
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
     * What the clusters add now, as this transaction reads them; clusters never seen are absent. Not locked: the
     * write checks that none of them changed since (see {@link #write}), which costs the database far less than a
     * row lock on each.
     */
    Uni<Map<UUID, Contribution>> contributions(SqlConnection connection, Collection<UUID> clusters) {
        return connection.preparedQuery("""
                SELECT cluster_id, version, country, region, sectors, joined_on, withdrawn_on,
                       (emissions_reduction_mt_per_year * 1000)::int8 AS emissions_kt, jobs,
                       (gdp_usd_bn * 1000)::int8 AS gdp_usd_million
                FROM cluster_contribution WHERE cluster_id = ANY($1)""")
                .execute(Tuple.of(clusters.toArray(UUID[]::new)))
                .map(rows -> toMap(rows, row -> row.getUUID("cluster_id"), row -> new Contribution(
                        row.getInteger("version"), row.getString("country"), row.getString("region"),
                        List.of(row.getArrayOfStrings("sectors")), row.getLocalDate("joined_on"),
                        row.getLocalDate("withdrawn_on"),
                        new Sums(1, row.getLong("emissions_kt"), row.getLong("jobs"),
                                row.getLong("gdp_usd_million")))));
    }

    /**
     * Writes a batch: the clusters' new contributions, the ledger's changes and the partitions' new positions, in
     * the caller's transaction. Returns the new totals of every scope the batch touched. Fails with
     * {@link ContributionsChanged}, and the caller must roll back, if a cluster's stored contribution is no longer
     * the one the ledger replaced.
     */
    Uni<List<TotalsChanged>> write(SqlConnection connection, Map<UUID, Applied> contributions, Ledger ledger,
            String topic, Map<Integer, Long> nextOffsets) {
        // Independent statements are sent together: the connection pipelines them.
        return Uni.combine().all().unis(
                saveContributions(connection, contributions),
                advance(connection, topic, nextOffsets),
                saveCountries(connection, ledger))
                .with((contributionsSaved, positionsSaved, countriesChange) -> countriesChange)
                .chain(countriesChange -> ledger.isEmpty() ? Uni.createFrom().item(List.<TotalsChanged> of())
                        : saveTotals(connection, ledger, countriesChange));
    }

    /**
     * A cluster's contribution after the newest event applied for it in a batch, and the version it replaces (null
     * if the cluster was absent).
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
     * Inserts the clusters that were absent and updates the others where their version is still the one replaced.
     * Under read committed, each statement sees rows committed meanwhile, so a row that changed is left alone and
     * the counts fall short.
     */
    private static Uni<Void> saveContributions(SqlConnection connection, Map<UUID, Applied> contributions) {
        List<Map.Entry<UUID, Applied>> joins = new ArrayList<>();
        List<Map.Entry<UUID, Applied>> replacements = new ArrayList<>();
        contributions.entrySet().forEach(entry -> (entry.getValue().replacedVersion() == null ? joins : replacements)
                .add(entry));
        Uni<Integer> inserted = joins.isEmpty() ? Uni.createFrom().item(0) : connection.preparedQuery("""
                INSERT INTO cluster_contribution (cluster_id, version, country, region, sectors, joined_on,
                    withdrawn_on, emissions_reduction_mt_per_year, jobs, gdp_usd_bn, last_event_id)
                SELECT id, v, co, r, string_to_array(s, ','), j_on, w_on, e * 0.001, jb, g * 0.001, ev
                FROM unnest($1::uuid[], $2::int4[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[],
                            $8::int8[], $9::int8[], $10::int8[], $11::text[])
                    AS u(id, v, co, r, s, j_on, w_on, e, jb, g, ev)
                ON CONFLICT (cluster_id) DO NOTHING""")
                .execute(Tuple.tuple(columns(joins))).map(RowSet::rowCount);
        Uni<Integer> updated = replacements.isEmpty() ? Uni.createFrom().item(0) : connection.preparedQuery("""
                UPDATE cluster_contribution c SET version = u.v, country = u.co, region = u.r,
                    sectors = string_to_array(u.s, ','), joined_on = u.j_on, withdrawn_on = u.w_on,
                    emissions_reduction_mt_per_year = u.e * 0.001, jobs = u.jb, gdp_usd_bn = u.g * 0.001,
                    last_event_id = u.ev
                FROM unnest($1::uuid[], $2::int4[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[],
                            $8::int8[], $9::int8[], $10::int8[], $11::text[], $12::int4[])
                    AS u(id, v, co, r, s, j_on, w_on, e, jb, g, ev, was)
                WHERE c.cluster_id = u.id AND c.version = u.was""")
                .execute(Tuple.tuple(columnsAndReplacedVersions(replacements))).map(RowSet::rowCount);
        return Uni.combine().all().unis(inserted, updated).with((insertedRows, updatedRows) -> {
            long changed = contributions.size() - insertedRows - updatedRows;
            if (changed != 0) {
                throw new ContributionsChanged(changed);
            }
            return null;
        });
    }

    /** The contributions as the columns that both statements of {@link #saveContributions} unnest. */
    private static List<Object> columns(List<Map.Entry<UUID, Applied>> contributions) {
        int size = contributions.size();
        UUID[] ids = new UUID[size];
        Integer[] versions = new Integer[size];
        String[] countries = new String[size];
        String[] regions = new String[size];
        String[] sectors = new String[size];
        LocalDate[] joinedOn = new LocalDate[size];
        LocalDate[] withdrawnOn = new LocalDate[size];
        Long[] emissions = new Long[size];
        Long[] jobs = new Long[size];
        Long[] gdp = new Long[size];
        String[] eventIds = new String[size];
        for (int i = 0; i < size; i++) {
            Applied applied = contributions.get(i).getValue();
            Contribution contribution = applied.contribution();
            ids[i] = contributions.get(i).getKey();
            versions[i] = contribution.version();
            countries[i] = contribution.country();
            regions[i] = contribution.region();
            sectors[i] = String.join(",", contribution.sectors());
            joinedOn[i] = contribution.joinedOn();
            withdrawnOn[i] = contribution.withdrawnOn();
            emissions[i] = contribution.sums().emissionsKtPerYear();
            jobs[i] = contribution.sums().jobs();
            gdp[i] = contribution.sums().gdpUsdMillion();
            eventIds[i] = applied.eventId();
        }
        return List.of(ids, versions, countries, regions, sectors, joinedOn, withdrawnOn, emissions, jobs, gdp,
                eventIds);
    }

    /** The same columns and, last, the version each contribution replaces, which the update checks. */
    private static List<Object> columnsAndReplacedVersions(List<Map.Entry<UUID, Applied>> contributions) {
        List<Object> columns = new ArrayList<>(columns(contributions));
        columns.add(contributions.stream().map(entry -> entry.getValue().replacedVersion()).toArray(Integer[]::new));
        return columns;
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
     * Moves each scope's current clusters per country and returns how each scope's distinct countries changed: a
     * country counts while it has clusters in the scope.
     */
    private static Uni<Map<String, Long>> saveCountries(SqlConnection connection, Ledger ledger) {
        List<String> scopes = new ArrayList<>();
        List<String> countries = new ArrayList<>();
        List<Long> changes = new ArrayList<>();
        ledger.changes().forEach((scope, change) -> new TreeMap<>(change.clustersByCountry).forEach((country, by) -> {
            if (by != 0) {
                scopes.add(scope);
                countries.add(country);
                changes.add(by);
            }
        }));
        if (changes.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return connection.preparedQuery("""
                INSERT INTO scope_country AS sc (scope, country, clusters)
                SELECT * FROM unnest($1::text[], $2::text[], $3::int8[])
                ON CONFLICT (scope, country) DO UPDATE SET clusters = sc.clusters + excluded.clusters
                RETURNING scope, country, clusters""")
                .execute(Tuple.of(scopes.toArray(String[]::new), countries.toArray(String[]::new),
                        changes.toArray(Long[]::new)))
                .map(rows -> {
                    Map<String, Long> countriesChange = new HashMap<>();
                    for (Row row : rows) {
                        long after = row.getLong("clusters");
                        long before = after - ledger.change(row.getString("scope")).clustersByCountry
                                .get(row.getString("country"));
                        long change = (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
                        countriesChange.merge(row.getString("scope"), change, Long::sum);
                    }
                    return countriesChange;
                });
    }

    /**
     * Adds the ledger's changes to the scopes' totals. The version is drawn while the row is locked, so that a
     * scope's versions grow in the order its changes commit, whichever instance makes them. The last event is the
     * newest the totals reflect: a batch that brings an older one (from a partition that lags) does not replace it.
     */
    private static Uni<List<TotalsChanged>> saveTotals(SqlConnection connection, Ledger ledger,
            Map<String, Long> countriesChange) {
        SortedMap<String, Ledger.ScopeChange> changes = ledger.changes();
        int size = changes.size();
        String[] scopes = new String[size];
        Long[] clusters = new Long[size];
        Long[] countries = new Long[size];
        Long[] emissions = new Long[size];
        Long[] jobs = new Long[size];
        Long[] gdp = new Long[size];
        String[] eventIds = new String[size];
        OffsetDateTime[] eventTimes = new OffsetDateTime[size];
        int i = 0;
        for (Map.Entry<String, Ledger.ScopeChange> entry : changes.entrySet()) {
            Ledger.ScopeChange change = entry.getValue();
            scopes[i] = entry.getKey();
            clusters[i] = change.clusters;
            countries[i] = countriesChange.getOrDefault(entry.getKey(), 0L);
            emissions[i] = change.emissionsKtPerYear;
            jobs[i] = change.jobs;
            gdp[i] = change.gdpUsdMillion;
            eventIds[i] = change.lastEventId;
            eventTimes[i] = eventTime(change.lastEventTime);
            i++;
        }
        return connection.preparedQuery("""
                INSERT INTO scope_totals AS t (scope, clusters, countries, emissions_reduction_mt_per_year, jobs,
                    gdp_usd_bn, version, last_event_id, last_event_at, updated_at)
                SELECT s, c, n, e * 0.001, j, g * 0.001, nextval('totals_version'), ev, et, clock_timestamp()
                FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::int8[], $6::int8[], $7::text[],
                            $8::timestamptz[])
                    AS u(s, c, n, e, j, g, ev, et)
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
                RETURNING\s""" + TOTALS_COLUMNS)
                .execute(Tuple.tuple(List.of(scopes, clusters, countries, emissions, jobs, gdp, eventIds, eventTimes)))
                .map(TotalsStore::totals);
    }

    /** Every scope's current totals, by scope. */
    public Uni<List<TotalsChanged>> current() {
        return pool.query("SELECT " + TOTALS_COLUMNS + " FROM scope_totals ORDER BY scope").execute()
                .map(TotalsStore::totals);
    }

    /** One scope's current totals, or null if nothing ever counted in it. */
    public Uni<TotalsChanged> current(String scope) {
        return pool.preparedQuery("SELECT " + TOTALS_COLUMNS + " FROM scope_totals WHERE scope = $1")
                .execute(Tuple.of(scope))
                .map(rows -> totals(rows).stream().findFirst().orElse(null));
    }

    /** A scope's totals as of the end of a date: its clusters that had joined by then and not yet withdrawn. */
    Uni<TotalsAsOf> asOf(String scope, LocalDate date) {
        return pool.preparedQuery("""
                SELECT $2::date AS as_of, count(*) AS clusters, count(DISTINCT country) AS countries,
                       coalesce(sum(emissions_reduction_mt_per_year), 0) AS emissions, coalesce(sum(jobs), 0) AS jobs,
                       coalesce(sum(gdp_usd_bn), 0) AS gdp
                FROM cluster_contribution
                WHERE\s""" + Scope.members(scope)
                + " AND joined_on <= $2 AND (withdrawn_on IS NULL OR withdrawn_on > $2)")
                .execute(Tuple.of(Scope.value(scope), date))
                .map(rows -> asOf(scope, rows.iterator().next()));
    }

    /**
     * A scope's totals after each date on which they changed, oldest first, from its clusters' join and withdrawal
     * dates. A country counts from the day it has a cluster in the scope until the day it has none left.
     */
    Uni<List<TotalsAsOf>> history(String scope) {
        return pool.preparedQuery("""
                WITH members AS (
                    SELECT country, joined_on, withdrawn_on, emissions_reduction_mt_per_year AS e, jobs AS j,
                           gdp_usd_bn AS g
                    FROM cluster_contribution WHERE\s""" + Scope.members(scope) + "\n" + """
                ), changes AS (
                    SELECT joined_on AS day, country, 1 AS c, e, j, g FROM members
                    UNION ALL
                    SELECT withdrawn_on, country, -1, -e, -j, -g FROM members WHERE withdrawn_on IS NOT NULL
                ), per_country AS (
                    SELECT day, country, sum(c) AS c FROM changes GROUP BY day, country
                ), presence AS (
                    SELECT day, (sum(c) OVER w > 0)::int - (sum(c) OVER w - c > 0)::int AS change
                    FROM per_country WINDOW w AS (PARTITION BY country ORDER BY day)
                ), daily AS (
                    SELECT day, sum(c) AS c, sum(e) AS e, sum(j) AS j, sum(g) AS g FROM changes GROUP BY day
                ), countries AS (
                    SELECT day, sum(change) AS change FROM presence GROUP BY day
                )
                SELECT day AS as_of, clusters, countries, emissions, jobs, gdp FROM (
                    SELECT day, d.c, d.e, d.j, d.g, n.change, sum(d.c) OVER o AS clusters,
                           sum(n.change) OVER o AS countries, sum(d.e) OVER o AS emissions,
                           sum(d.j) OVER o AS jobs, sum(d.g) OVER o AS gdp
                    FROM daily d JOIN countries n USING (day) WINDOW o AS (ORDER BY day)) cumulative
                WHERE c <> 0 OR e <> 0 OR j <> 0 OR g <> 0 OR change <> 0
                ORDER BY day""")
                .execute(Tuple.of(Scope.value(scope)))
                .map(rows -> {
                    List<TotalsAsOf> history = new ArrayList<>();
                    rows.forEach(row -> history.add(asOf(scope, row)));
                    return history;
                });
    }

    private static TotalsAsOf asOf(String scope, Row row) {
        return new TotalsAsOf(scope, row.getLocalDate("as_of"), row.getLong("clusters"), row.getLong("countries"),
                row.getBigDecimal("emissions").setScale(3), row.getLong("jobs"), row.getBigDecimal("gdp").setScale(3));
    }

    private static List<TotalsChanged> totals(RowSet<Row> rows) {
        List<TotalsChanged> totals = new ArrayList<>();
        for (Row row : rows) {
            OffsetDateTime lastEventAt = row.getOffsetDateTime("last_event_at");
            totals.add(new TotalsChanged(row.getString("scope"), row.getLong("version"),
                    row.getString("last_event_id"), lastEventAt == null ? null : lastEventAt.toInstant(),
                    row.getLong("clusters"), row.getLong("countries"),
                    row.getBigDecimal("emissions_reduction_mt_per_year"), row.getLong("jobs"),
                    row.getBigDecimal("gdp_usd_bn"), row.getOffsetDateTime("updated_at").toInstant()));
        }
        return totals;
    }

    /** An event's ce_time; a time that cannot be read leaves the totals' freshness unknown rather than fail them. */
    private static OffsetDateTime eventTime(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text);
        } catch (DateTimeParseException notATime) {
            return null;
        }
    }

    private static <K, V> Map<K, V> toMap(RowSet<Row> rows, Function<Row, K> key, Function<Row, V> value) {
        Map<K, V> map = new HashMap<>();
        for (Row row : rows) {
            map.put(key.apply(row), value.apply(row));
        }
        return map;
    }
}
