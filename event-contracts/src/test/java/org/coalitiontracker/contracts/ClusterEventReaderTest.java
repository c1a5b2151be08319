package org.coalitiontracker.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.coalitiontracker.localinfra.ContractEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

class ClusterEventReaderTest {

    private static final String ID = UUID.randomUUID().toString();

    private final ClusterEventReader reader = new ClusterEventReader();

    @Test
    void readsWhatTheProducerWrites() {
        ObjectNode joined = joined();
        ClusterEventReading reading = read(joined);

        assertThat(reading.problem()).isNull();
        ClusterJoined event = (ClusterJoined) reading.event();
        assertThat(event.clusterId()).hasToString(joined.get("clusterId").asText());
        assertThat(event.name()).isEqualTo("Porto do A\u00e7u");
        assertThat(event.joinedOn()).isEqualTo(LocalDate.of(2025, 1, 22));
        assertThat(event.figures()).isEqualTo(new Figures(new BigDecimal("15.846"), 69231L, new BigDecimal("10.000")));

        ObjectNode withdrawn = ContractEvents.withdrawn(joined, 2, "2025-03-31",
                ContractEvents.figures("15.846", 69231, "10.000"));
        ClusterEvent withdrawal = reader.read(key(joined), ContractEvents.WITHDRAWN, ID, bytes(withdrawn.toString()))
                .event();
        assertThat(withdrawal.withdrawnOn()).isEqualTo(LocalDate.of(2025, 3, 31));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            joinedOn                    | "-5000-01-01"          | joinedOn must be between 1900-01-01 and 9999-12-31
            joinedOn                    | "+10000-01-01"         | joinedOn must be between 1900-01-01 and 9999-12-31
            joinedOn                    | "1899-12-31"           | joinedOn must be between 1900-01-01 and 9999-12-31
            jobs                        | 9223372036854775807    | jobs must be between 0 and 10000000
            jobs                        | 10000001               | jobs must be between 0 and 10000000
            jobs                        | -1                     | jobs must be between 0 and 10000000
            emissionsReductionMtPerYear | 10000.001              | emissionsReductionMtPerYear and gdpUsdBn must be between 0 and 10000.000 with at most 3 decimals
            gdpUsdBn                    | 1.0001                 | emissionsReductionMtPerYear and gdpUsdBn must be between 0 and 10000.000 with at most 3 decimals
            gdpUsdBn                    | -0.001                 | emissionsReductionMtPerYear and gdpUsdBn must be between 0 and 10000.000 with at most 3 decimals
            name                        | "nul\\u0000"            | name must not contain control characters (such as NUL, tab or line breaks)
            name                        | "lone \\ud800"          | name must be valid Unicode text (it has an unpaired surrogate)
            name                        | "\\u200b"               | name must have a visible character (a letter, digit, punctuation mark or symbol)
            name                        | "   "                  | name must have a visible character (a letter, digit, punctuation mark or symbol)
            figuresBasis                | "a\\nb"                 | figuresBasis must not contain control characters (such as NUL, tab or line breaks)
            sectors                     | ["STEEL","STEEL"]      | sectors must not repeat a sector (STEEL)
            sectors                     | ["steel"]              | sectors must each be a name of the sector vocabulary
            sectors                     | []                     | sectors must list 1 to 32 sectors
            country                     | "N_"                   | country must be an ISO 3166-1 alpha-2 code
            version                     | 0                      | version must be a whole number of at least 1
            """)
    void refusesAFieldOutsideTheBoundsWithItsReason(String field, String json, String reason) {
        String event = joined().toString().replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\[[^\\]]*]|[^,}]*)",
                "\"" + field + "\":" + json.replace("\\", "\\\\"));
        assertThat(event).as("the test changed the field").contains("\"" + field + "\":" + json);

        assertThat(reader.read(key(joined()), ContractEvents.JOINED, ID, bytes(event)).problem())
                .isEqualTo("invalid ClusterJoined: " + reason);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            jobs                        | 1.9
            jobs                        | "5"
            emissionsReductionMtPerYear | "1.5"
            joinedOn                    | "2025-02-30"
            clusterId                   | "not-a-uuid"
            """)
    void refusesAFieldThatIsNotOfItsTypeRatherThanConvertingIt(String field, String json) {
        ObjectNode joined = joined();
        String event = joined.toString().replaceFirst("\"" + field + "\":(\"[^\"]*\"|[^,}]*)",
                "\"" + field + "\":" + json);

        assertThat(reader.read(key(joined), ContractEvents.JOINED, ID, bytes(event)).problem())
                .startsWith("not a readable ClusterJoined: ");
    }

    @Test
    void acceptsEveryValueAtTheBounds() {
        ObjectNode joined = joined().put("joinedOn", "1900-01-01").put("jobs", Bounds.MAX_JOBS)
                .put("emissionsReductionMtPerYear", new BigDecimal("10000.000")).put("gdpUsdBn", new BigDecimal("0"))
                .put("name", "\ud83c\udfed".repeat(Bounds.MAX_NAME_LENGTH))
                .put("figuresBasis", "\u00e9".repeat(Bounds.MAX_TEXT_LENGTH));

        assertThat(read(joined).problem()).isNull();
        assertThat(read(joined.put("joinedOn", "9999-12-31").put("gdpUsdBn", new BigDecimal("1.5000"))).problem())
                .isNull();
        assertThat(read(joined.put("name", "x".repeat(Bounds.MAX_NAME_LENGTH + 1))).problem())
                .isEqualTo("invalid ClusterJoined: name must be at most 200 characters");
    }

    @Test
    void refusesAWithdrawalBeforeTheJoin() {
        ObjectNode joined = joined();
        ObjectNode withdrawn = ContractEvents.withdrawn(joined, 2, "2025-01-21",
                ContractEvents.figures("1.000", 1, "1.000"));

        assertThat(reader.read(key(joined), ContractEvents.WITHDRAWN, ID, bytes(withdrawn.toString())).problem())
                .isEqualTo("invalid ClusterWithdrawn: withdrawnOn must not be before joinedOn");
    }

    @Test
    void refusesARecordWhoseKeyIsNotItsCluster() {
        ObjectNode joined = joined();
        byte[] value = bytes(joined.toString());
        String reason = "invalid ClusterJoined: the record's key must be its clusterId (consumers rely on a "
                + "cluster's events keeping order)";

        assertThat(reader.read(bytes(UUID.randomUUID().toString()), ContractEvents.JOINED, ID, value).problem())
                .isEqualTo(reason);
        assertThat(reader.read(null, ContractEvents.JOINED, ID, value).problem()).isEqualTo(reason);
        assertThat(reader.read(("\u00ff" + joined.get("clusterId").asText().substring(1))
                .getBytes(StandardCharsets.ISO_8859_1), ContractEvents.JOINED, ID, value).problem()).isEqualTo(reason);
        assertThat(reader.read(bytes(joined.get("clusterId").asText().toUpperCase()), ContractEvents.JOINED, ID, value)
                .problem()).isNull();
    }

    @Test
    void saysWhyWhatItCannotReadIsNotAnEvent() {
        ObjectNode joined = joined();
        byte[] key = key(joined);

        assertThat(reader.read(key, "org.coalitiontracker.ClusterMerged.v1", ID, bytes(joined.toString())).problem())
                .isEqualTo("unknown event type (ce_type org.coalitiontracker.ClusterMerged.v1)");
        assertThat(reader.read(key, null, ID, bytes(joined.toString())).problem())
                .isEqualTo("unknown event type (ce_type null)");
        assertThat(reader.read(key, ContractEvents.JOINED, ID, null).problem())
                .isEqualTo("not a readable ClusterJoined: no value");
        assertThat(reader.read(key, ContractEvents.JOINED, ID, bytes("null")).problem())
                .isEqualTo("not a readable ClusterJoined: null");
        for (String notAnEvent : List.of("this is not JSON", "", "[]", joined + " }",
                joined.toString().replaceFirst("\\{", "{\"version\":7,"))) {
            assertThat(reader.read(key, ContractEvents.JOINED, ID, bytes(notAnEvent)).problem()).as(notAnEvent)
                    .startsWith("not a readable ClusterJoined: ");
        }
        byte[] notUtf8 = bytes(joined.toString().replace("A\u00e7u", "A?u"));
        notUtf8[new String(notUtf8, StandardCharsets.UTF_8).indexOf("A?u") + 1] = (byte) 0xff;
        assertThat(reader.read(key, ContractEvents.JOINED, ID, notUtf8).problem())
                .startsWith("not a readable ClusterJoined: ");
    }

    @Test
    void needsAnEventIdTheViewsCanStore() {
        ObjectNode joined = joined();
        byte[] value = bytes(joined.toString());

        assertThat(reader.read(key(joined), ContractEvents.JOINED, "x".repeat(64), value).eventId())
                .isEqualTo("x".repeat(64));
        for (String id : new String[] { null, "", "x".repeat(65), "with space", "\u00e9t\u00e9" }) {
            assertThat(reader.read(key(joined), ContractEvents.JOINED, id, value).problem()).as(id)
                    .isEqualTo("invalid ClusterJoined: ce_id must be 1 to 64 visible ASCII characters");
        }
    }

    @Test
    void ignoresFieldsItDoesNotKnowAsTheContractAllows() {
        ObjectNode joined = joined();
        joined.put("newOptionalField", "v1 may gain it").putObject("nested").put("a", 1);

        assertThat(read(joined).problem()).isNull();
    }

    private ClusterEventReading read(ObjectNode joined) {
        return reader.read(key(joined), ContractEvents.JOINED, ID, bytes(joined.toString()));
    }

    private static ObjectNode joined() {
        return ContractEvents.joined("Porto do A\u00e7u", "BR", "AMERICAS", "2025-01-22", List.of("PORT_LOGISTICS"),
                "15.846", 69231, "10.000");
    }

    private static byte[] key(ObjectNode event) {
        return bytes(event.get("clusterId").asText());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
