package org.coalitiontracker.metrics.totals;

import java.lang.reflect.Array;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * How a cluster's contribution is stored in {@code cluster_contribution}: each column once, with the array a batch
 * sends it in (unnested server-side, so a batch is one statement) and how it is read back. Figures travel as whole
 * thousandths ({@link Sums}) in binary int8 and become numeric(…, 3) by {@code * 0.001}, exactly: cheaper both ways
 * than decimal text. A new field is a new column here and a new component of {@link Contribution}.
 */
final class ContributionRows {

    /**
     * @param stored the value stored, from the unnested row {@code u}
     * @param read the value selected under the column's name, or null if it is never read back
     */
    private record Column(String name, String arrayType, Class<?> javaType, String stored, String read,
            Function<TallyStore.Applied, Object> value) {

        static Column plain(String name, String arrayType, Class<?> javaType,
                Function<TallyStore.Applied, Object> value) {
            return new Column(name, arrayType, javaType, "u." + name, name, value);
        }

        static Column thousandths(String name, Function<Sums, Long> value) {
            return new Column(name, "int8", Long.class, "u." + name + " * 0.001",
                    "(" + name + " * 1000)::int8 AS " + name, applied -> value.apply(applied.contribution().sums()));
        }
    }

    private static final List<Column> COLUMNS = List.of(
            Column.plain("version", "int4", Integer.class, applied -> applied.contribution().version()),
            Column.plain("country", "text", String.class, applied -> applied.contribution().country()),
            Column.plain("region", "text", String.class, applied -> applied.contribution().region()),
            // One comma-joined text per cluster: a text[] per cluster cannot be unnested from a text[][] of rows.
            new Column("sectors", "text", String.class, "string_to_array(u.sectors, ',')", "sectors",
                    applied -> String.join(",", applied.contribution().sectors())),
            Column.plain("joined_on", "date", LocalDate.class, applied -> applied.contribution().joinedOn()),
            Column.plain("withdrawn_on", "date", LocalDate.class, applied -> applied.contribution().withdrawnOn()),
            Column.thousandths("emissions_reduction_mt_per_year", Sums::emissionsKtPerYear),
            Column.plain("jobs", "int8", Long.class, applied -> applied.contribution().sums().jobs()),
            Column.thousandths("gdp_usd_bn", Sums::gdpUsdMillion),
            new Column("last_event_id", "text", String.class, "u.last_event_id", null, TallyStore.Applied::eventId));

    private static final String NAMES = join(Column::name);

    /** Inserts the clusters of a batch that are absent, and returns them; the others are left as they are. */
    static final String INSERT = "INSERT INTO cluster_contribution (cluster_id, " + NAMES + ")\n"
            + "SELECT u.cluster_id, " + join(Column::stored) + "\n"
            + "FROM " + unnest(false) + "\n"
            + "ON CONFLICT (cluster_id) DO NOTHING RETURNING cluster_id";

    /** Replaces the clusters of a batch whose stored version is still the one the batch replaced. */
    static final String UPDATE = "UPDATE cluster_contribution c SET " + join(column -> column.name() + " = "
            + column.stored()) + "\nFROM " + unnest(true) + "\n"
            + "WHERE c.cluster_id = u.cluster_id AND c.version = u.replaced_version";

    /** The stored contributions of the clusters in $1. */
    static final String SELECT = "SELECT cluster_id, " + COLUMNS.stream().map(Column::read)
            .filter(Objects::nonNull).collect(Collectors.joining(", "))
            + " FROM cluster_contribution WHERE cluster_id = ANY($1)";

    private ContributionRows() {
    }

    /** The parameters of {@link #INSERT}. */
    static Tuple inserted(List<Map.Entry<UUID, TallyStore.Applied>> contributions) {
        return Tuple.tuple(arrays(contributions));
    }

    /** The parameters of {@link #UPDATE}: those of an insert and, last, the version each one replaces. */
    static Tuple replaced(List<Map.Entry<UUID, TallyStore.Applied>> contributions) {
        List<Object> arrays = arrays(contributions);
        arrays.add(contributions.stream().map(entry -> entry.getValue().replacedVersion()).toArray(Integer[]::new));
        return Tuple.tuple(arrays);
    }

    /** A row of {@link #SELECT}. */
    static Contribution contribution(Row row) {
        return new Contribution(row.getInteger("version"), row.getString("country"), row.getString("region"),
                List.of(row.getArrayOfStrings("sectors")), row.getLocalDate("joined_on"),
                row.getLocalDate("withdrawn_on"), new Sums(1, row.getLong("emissions_reduction_mt_per_year"),
                        row.getLong("jobs"), row.getLong("gdp_usd_bn")));
    }

    private static List<Object> arrays(List<Map.Entry<UUID, TallyStore.Applied>> contributions) {
        List<Object> arrays = new ArrayList<>(COLUMNS.size() + 2);
        arrays.add(contributions.stream().map(Map.Entry::getKey).toArray(UUID[]::new));
        for (Column column : COLUMNS) {
            Object values = Array.newInstance(column.javaType(), contributions.size());
            for (int i = 0; i < contributions.size(); i++) {
                Array.set(values, i, column.value().apply(contributions.get(i).getValue()));
            }
            arrays.add(values);
        }
        return arrays;
    }

    /** unnest($1::uuid[], $2::int4[], …) AS u(cluster_id, version, …), and the replaced version if asked. */
    private static String unnest(boolean withReplacedVersion) {
        List<String> types = new ArrayList<>(List.of("uuid"));
        COLUMNS.forEach(column -> types.add(column.arrayType()));
        String names = "cluster_id, " + NAMES;
        if (withReplacedVersion) {
            types.add("int4");
            names += ", replaced_version";
        }
        return "unnest(" + IntStream.range(0, types.size()).mapToObj(i -> "$" + (i + 1) + "::" + types.get(i) + "[]")
                .collect(Collectors.joining(", ")) + ") AS u(" + names + ")";
    }

    private static String join(Function<Column, String> part) {
        return COLUMNS.stream().map(part).collect(Collectors.joining(", "));
    }
}
