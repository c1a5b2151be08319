package org.coalitiontracker.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Shrinkable;
import net.jqwik.api.Tuple;
import net.jqwik.api.sessions.JqwikSession;

/**
 * Records for {@code cluster-events} as a hostile or careless publisher writes them straight onto the topic: events
 * with values at the contract's bounds, and the same with one thing broken (a field missing, of the wrong type, out
 * of range, text a database cannot store, a key that is not the cluster id, bytes that are not JSON, an unknown
 * type). Consumers' tests feed them in and check that nothing stalls and every accepted event is counted exactly.
 */
public final class HostileClusterRecords {

    /** A record as it goes onto the topic, and what was done to it (for failure messages). */
    public record ClusterRecord(byte[] key, String type, String eventId, byte[] value, String description) {

        /** The same event id with the rest changed. */
        ClusterRecord with(byte[] key, String type, byte[] value, String description) {
            return new ClusterRecord(key, type, eventId, value, description);
        }

        @Override
        public String toString() {
            return description + ": key " + (key == null ? null : new String(key, StandardCharsets.UTF_8)) + ", "
                    + type + ", " + eventId + ", " + (value == null ? null : new String(value, StandardCharsets.UTF_8));
        }
    }

    /** Writes every non-ASCII character as an escape, so that text a producer should not send (a lone surrogate) can be. */
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String JOINED = ContractEvents.JOINED;
    private static final String REVISED = ContractEvents.REVISED;
    private static final String WITHDRAWN = ContractEvents.WITHDRAWN;

    /** A change to an event: what it does, and the record it makes of a well-formed one. */
    private record Mutation(String description, Function<ClusterRecord, ClusterRecord> change) {
    }

    private HostileClusterRecords() {
    }

    /**
     * {@code count} values drawn from the generator by a seed: the same every run, so that a failure can be replayed.
     * For tests that run outside jqwik's own engine (a {@code @QuarkusTest}, an end-to-end test).
     */
    public static <T> List<T> sample(Arbitrary<T> values, long seed, int count) {
        JqwikSession.start(String.valueOf(seed));
        try {
            return values.generator(1000).stream(new Random(seed)).limit(count).map(Shrinkable::value).toList();
        } finally {
            JqwikSession.finish();
        }
    }

    /** Well-formed events (values at and within the bounds) two times in five, broken ones otherwise. */
    public static Arbitrary<ClusterRecord> records() {
        return records(Arbitraries.of("GB", "NL", "BR", "IN", "AU", "ZZ"), dates());
    }

    /**
     * The same, the well-formed ones all of one country and joined in one year, so that a test can tell their totals
     * from any other's.
     */
    public static Arbitrary<ClusterRecord> records(String country, int year) {
        return records(Arbitraries.just(country), Arbitraries.integers().between(0, 364)
                .map(day -> LocalDate.of(year, 1, 1).plusDays(day).toString()));
    }

    private static Arbitrary<ClusterRecord> records(Arbitrary<String> countries, Arbitrary<String> dates) {
        return Combinators.combine(wellFormed(countries, dates), mutations()).as((record, mutation) -> mutation
                .change().apply(record));
    }

    /** Events a consumer must apply: every field within the contract's bounds, some at them. */
    public static Arbitrary<ClusterRecord> wellFormed() {
        return wellFormed(Arbitraries.of("GB", "NL", "BR", "IN", "AU", "ZZ"), dates());
    }

    private static Arbitrary<ClusterRecord> wellFormed(Arbitrary<String> countries, Arbitrary<String> dates) {
        Arbitrary<ObjectNode> allFigures = Combinators.combine(figures(), jobs(), figures())
                .as((emissions, jobs, gdp) -> JSON.objectNode().put("emissionsReductionMtPerYear", emissions)
                        .put("jobs", jobs).put("gdpUsdBn", gdp));
        return Combinators.combine(Arbitraries.of(JOINED, REVISED, WITHDRAWN), names(), allFigures, dates, countries,
                Arbitraries.of(List.of("STEEL"), List.of("HYDROGEN", "CCS"), List.of("PORT_LOGISTICS")),
                Combinators.combine(uuids(), uuids()).as(Tuple::of))
                .as((type, name, figures, joinedOn, country, sectors, ids) -> {
                    String id = ids.get1().toString();
                    ObjectNode event = JSON.objectNode().put("clusterId", id).put("country", country)
                            .put("region", "EUROPE").put("joinedOn", joinedOn);
                    sectors.forEach(event.putArray("sectors")::add);
                    switch (type) {
                        case JOINED -> event.put("version", 1).put("name", name).setAll(figures);
                        case REVISED -> {
                            event.put("version", 2).set("revised", figures);
                            event.set("previous", figures.deepCopy());
                        }
                        default -> {
                            event.put("version", 2).put("withdrawnOn", "9999-12-31").set("figures", figures);
                        }
                    }
                    return new ClusterRecord(bytes(id), type, ids.get2().toString(), write(event),
                            "well-formed " + type);
                });
    }

    /** Ids from the generator's random source, so that a seed gives the same records. */
    private static Arbitrary<UUID> uuids() {
        return Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()));
    }

    private static Arbitrary<String> names() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withChars("ÀÉÎõüçñ-' .ʻ").withCharRange('\u4e00', '\u4e20').ofMinLength(1).ofMaxLength(60)
                .filter(name -> !name.isBlank());
        return Arbitraries.oneOf(plain, Arbitraries.of("Porto do A\u00e7u", "\ufdfa".repeat(12),
                "\ud83c\udfed".repeat(200), "x".repeat(200), "=cmd|' /C calc'!A0", "dup\u200bcheck"));
    }

    private static Arbitrary<BigDecimal> figures() {
        return Arbitraries.oneOf(Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("10000"))
                .ofScale(3),
                Arbitraries.of(BigDecimal.ZERO, new BigDecimal("10000.000"), new BigDecimal("1.5000"),
                        new BigDecimal("1E+3")));
    }

    private static Arbitrary<Long> jobs() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 10_000_000), Arbitraries.of(0L, 10_000_000L));
    }

    private static Arbitrary<String> dates() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 50_000)
                .map(days -> LocalDate.of(1900, 1, 1).plusDays(days).toString()),
                Arbitraries.of("1900-01-01", "2025-01-22", "9999-12-31"));
    }

    private static Arbitrary<Mutation> mutations() {
        Mutation none = new Mutation("as it is", record -> record);
        return Arbitraries.frequencyOf(Tuple.of(40, Arbitraries.just(none)), Tuple.of(60, Arbitraries.of(
                // The whole record.
                whole("not JSON", value -> "this is not JSON"), whole("empty", value -> ""),
                whole("JSON null", value -> "null"), whole("an array", value -> "[" + value + "]"),
                whole("trailing garbage", value -> value + " }"),
                whole("a field twice", value -> value.replaceFirst("\\{", "{\"version\":7,")),
                new Mutation("not UTF-8", record -> record.with(record.key(), record.type(),
                        notUtf8(record.value()), "not UTF-8")),
                new Mutation("no value", record -> record.with(record.key(), record.type(), null,
                        "no value")),
                new Mutation("unknown type", record -> record.with(record.key(),
                        "org.coalitiontracker.ClusterMerged.v1", record.value(), "unknown type")),
                new Mutation("no type", record -> record.with(record.key(), null, record.value(), "no type")),
                new Mutation("another cluster's key", record -> record.with(
                        bytes(new StringBuilder(new String(record.key(), StandardCharsets.UTF_8)).reverse().toString()),
                        record.type(), record.value(), "another key")),
                new Mutation("key not UTF-8", record -> record.with(
                        ("\u00ff" + new String(record.key(), StandardCharsets.UTF_8).substring(1))
                                .getBytes(StandardCharsets.ISO_8859_1),
                        record.type(), record.value(),
                        "key not UTF-8")),
                new Mutation("no key", record -> record.with(null, record.type(), record.value(), "no key")),
                new Mutation("no ce_id", record -> new ClusterRecord(record.key(), record.type(), null,
                        record.value(), "no ce_id")),
                new Mutation("ce_id too long", record -> new ClusterRecord(record.key(), record.type(),
                        "x".repeat(65), record.value(), "ce_id too long")),
                // One field of the event.
                field("clusterId", JSON.textNode("not-a-uuid")), field("clusterId", JSON.numberNode(12)),
                field("version", JSON.numberNode(0)), field("version", JSON.numberNode(1.5)),
                field("version", JSON.textNode("2")), field("version", JSON.numberNode(2147483648L)),
                field("name", JSON.textNode("")), field("name", JSON.textNode(" \u200b ")),
                field("name", JSON.textNode("nul\u0000inside")), field("name", JSON.textNode("lone \ud800")),
                field("name", JSON.textNode("x".repeat(201))), field("name", JSON.textNode("tab\tinside")),
                field("country", JSON.textNode("gb")), field("country", JSON.textNode("GBR")),
                field("country", JSON.textNode("N_")), field("region", JSON.textNode("europe")),
                field("joinedOn", JSON.textNode("-5000-01-01")), field("joinedOn", JSON.textNode("+10000-01-01")),
                field("joinedOn", JSON.textNode("1899-12-31")), field("joinedOn", JSON.textNode("2025-02-30")),
                field("joinedOn", JSON.textNode("")), field("joinedOn", JSON.numberNode(20250101)),
                field("sectors", JSON.arrayNode()), field("sectors", JSON.arrayNode().add("steel")),
                field("sectors", JSON.arrayNode().add("STEEL").add("STEEL")),
                field("sectors", JSON.textNode("STEEL")), field("sectors", JSON.arrayNode().addNull()),
                figure("emissionsReductionMtPerYear", JSON.numberNode(new BigDecimal("-0.001"))),
                figure("emissionsReductionMtPerYear", JSON.numberNode(new BigDecimal("10000.001"))),
                figure("emissionsReductionMtPerYear", JSON.numberNode(new BigDecimal("1.0001"))),
                figure("emissionsReductionMtPerYear", JSON.numberNode(new BigDecimal("1E+400"))),
                figure("emissionsReductionMtPerYear", JSON.textNode("1.5")),
                figure("gdpUsdBn", JSON.numberNode(new BigDecimal("1000000000.000"))),
                figure("gdpUsdBn", JSON.textNode("abc")), figure("jobs", JSON.numberNode(-1)),
                figure("jobs", JSON.numberNode(1.9)), figure("jobs", JSON.numberNode(10_000_001)),
                figure("jobs", JSON.numberNode(Long.MAX_VALUE)),
                figure("jobs", JSON.numberNode(new BigDecimal("9223372036854775808"))),
                figure("jobs", JSON.booleanNode(true)), field("figuresBasis", JSON.textNode("nul\u0000")),
                field("figuresBasis", JSON.textNode("x".repeat(501))),
                field("withdrawnOn", JSON.textNode("1900-01-01")), removed("clusterId"), removed("version"),
                removed("joinedOn"), removed("sectors"), removed("country"))));
    }

    private static Mutation whole(String description, Function<String, String> change) {
        return new Mutation(description, record -> record.with(record.key(), record.type(),
                change.apply(new String(record.value(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8),
                description));
    }

    /** The field set to a value, whichever event it is in; a field the event does not have is added. */
    private static Mutation field(String name, JsonNode value) {
        String description = name + " = " + value;
        return new Mutation(description, record -> edit(record, description, event -> event.set(name, value)));
    }

    /** A figure set to a value where the event keeps its figures (top level, revised or figures). */
    private static Mutation figure(String name, JsonNode value) {
        String description = name + " = " + value;
        return new Mutation(description, record -> edit(record, description, event -> {
            ObjectNode figures = event.has("revised") ? (ObjectNode) event.get("revised")
                    : event.has("figures") ? (ObjectNode) event.get("figures") : event;
            figures.set(name, value);
        }));
    }

    private static Mutation removed(String name) {
        return new Mutation("no " + name, record -> edit(record, "no " + name, event -> event.remove(name)));
    }

    private static ClusterRecord edit(ClusterRecord record, String description,
            Consumer<ObjectNode> change) {
        try {
            ObjectNode event = (ObjectNode) MAPPER.readTree(record.value());
            change.accept(event);
            return record.with(record.key(), record.type(), write(event), description);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(ObjectNode event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event with a field whose text holds a byte that UTF-8 never uses. */
    private static byte[] notUtf8(byte[] value) {
        byte[] prefix = bytes("{\"note\":\"");
        byte[] changed = new byte[prefix.length + 3 + value.length - 1];
        System.arraycopy(prefix, 0, changed, 0, prefix.length);
        changed[prefix.length] = (byte) 0xff;
        changed[prefix.length + 1] = '"';
        changed[prefix.length + 2] = ',';
        System.arraycopy(value, 1, changed, prefix.length + 3, value.length - 1);
        return changed;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
