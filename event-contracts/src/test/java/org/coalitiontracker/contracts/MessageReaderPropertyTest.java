package org.coalitiontracker.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The reader of {@code coalition-totals}, against messages a hostile or careless producer could write: it never
 * throws, and what it accepts a view stores (scope in its varchar(64), figures in numeric(15, 3), counts in bigint) and
 * a browser holds exactly (versions and counts up to 2^53-1).
 */
class MessageReaderPropertyTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final MessageReader<TotalsChanged> reader = MessageReader.totalsChanged();

    /** The generator names its bounds itself: jqwik's own edge cases of eight generators would take every try. */
    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void acceptsOnlyWhatAViewCanStore(@ForAll("messages") Message message) {
        MessageReader.Reading<TotalsChanged> reading = reader.read(message.key(), message.type(), message.value());
        Statistics.label("outcome").collect(reading.problem() == null ? "taken" : "refused");

        assertThat(reading.message() == null).isEqualTo(reading.problem() != null);
        if (reading.message() != null) {
            TotalsChanged totals = reading.message();
            assertThat(totals.scope()).hasSizeLessThanOrEqualTo(64)
                    .matches("coalition|[a-z]+:[A-Z0-9_]{1,32}")
                    .isEqualTo(new String(message.key(), StandardCharsets.UTF_8));
            assertThat(totals.version()).isPositive().isLessThanOrEqualTo(Bounds.MAX_EXACT_INTEGER);
            for (long count : new long[] { totals.clusters(), totals.countries(), totals.jobs() }) {
                assertThat(count).isNotNegative().isLessThanOrEqualTo(Bounds.MAX_EXACT_INTEGER);
            }
            for (BigDecimal figure : new BigDecimal[] { totals.emissionsReductionMtPerYear(), totals.gdpUsdBn() }) {
                assertThat(figure.setScale(3).precision()).isLessThanOrEqualTo(15);
                assertThat(figure.signum()).isNotNegative();
            }
            assertThat(totals.updatedAt()).isNotNull();
        }
    }

    record Message(byte[] key, String type, byte[] value) {
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<String> scopes = mostly(Arbitraries.of("coalition", "country:GB", "cohort:2025",
                "sector:PORT_LOGISTICS"),
                Arbitraries.of("", "Country:gb", "country:", ":GB", "region:" + "X".repeat(33),
                        "nul\u0000", "coalition "));
        Arbitrary<Object> versions = mostly(Arbitraries.of(1L, 7L, Bounds.MAX_EXACT_INTEGER),
                Arbitraries.of(0L, -1L, 1.5, "2", Bounds.MAX_EXACT_INTEGER + 1, Long.MAX_VALUE));
        Arbitrary<Object> counts = mostly(Arbitraries.of(0L, 33L, Bounds.MAX_EXACT_INTEGER),
                Arbitraries.of(-1L, 2.5, "3", Bounds.MAX_EXACT_INTEGER + 1, Long.MAX_VALUE));
        Arbitrary<Object> figures = mostly(Arbitraries.of(new BigDecimal("832.000"), BigDecimal.ZERO,
                new BigDecimal("999999999999.999"), new BigDecimal("1.5000")),
                Arbitraries.of(
                        new BigDecimal("1000000000000"), new BigDecimal("-0.001"), new BigDecimal("1.0001"),
                        new BigDecimal("1E+400"), "abc"));
        Arbitrary<Object> times = mostly(Arbitraries.of("2025-01-22T10:00:00Z", "2025-01-22T10:00:00.123456789Z"),
                Arbitraries.of("garbage", "", 12));
        Arbitrary<Object> ids = mostly(Arbitraries.of("e-1", "x".repeat(64)), Arbitraries.of("x".repeat(65), "a b", 5));
        return Combinators.combine(scopes, versions, counts, figures, figures, times, ids,
                Arbitraries.integers().between(0, 9))
                .as((scope, version, count, emissions, gdp, time, id, twist) -> {
                    ObjectNode totals = JSON.objectNode().put("scope", scope);
                    put(totals, "version", version);
                    put(totals, "causedByEventId", id);
                    put(totals, "clusters", count);
                    put(totals, "countries", count);
                    put(totals, "emissionsReductionMtPerYear", emissions);
                    put(totals, "jobs", count);
                    put(totals, "gdpUsdBn", gdp);
                    put(totals, "updatedAt", time);
                    String key = twist == 0 ? "another" : scope;
                    String type = twist == 1 ? "org.coalitiontracker.ClusterJoined.v1" : TotalsChanged.TYPE;
                    if (twist == 2) {
                        totals.remove("updatedAt");
                    }
                    String value = twist == 3 ? totals + " }" : twist == 4 ? "[" + totals + "]" : totals.toString();
                    return new Message(key.getBytes(StandardCharsets.UTF_8), type,
                            value.getBytes(StandardCharsets.UTF_8));
                });
    }

    /** A value within the bounds nine times in ten. */
    @SuppressWarnings("unchecked")
    private static <T> Arbitrary<T> mostly(Arbitrary<? extends T> valid, Arbitrary<? extends T> invalid) {
        return Arbitraries.frequencyOf(Tuple.of(9, (Arbitrary<T>) valid), Tuple.of(1, (Arbitrary<T>) invalid));
    }

    private static void put(ObjectNode node, String field, Object value) {
        node.set(field, new ObjectMapper().valueToTree(value));
    }
}
