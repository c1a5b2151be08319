package org.coalitiontracker.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageReaderTest {

    private static final String TOTALS = """
            {"scope":"country:GB","version":7,"causedByEventId":"e-1","clusters":3,"countries":1,
             "emissionsReductionMtPerYear":125.250,"jobs":412500,"gdpUsdBn":68.250,"updatedAt":"2025-01-22T10:00:00Z"}""";

    private final MessageReader<TotalsChanged> reader = MessageReader.totalsChanged();

    @Test
    void readsWhatMetricsServicePublishes() {
        MessageReader.Reading<TotalsChanged> reading = read("country:GB", TOTALS);

        assertThat(reading.problem()).isNull();
        assertThat(reading.message().jobs()).isEqualTo(412500);
        assertThat(reading.message().emissionsReductionMtPerYear()).isEqualByComparingTo("125.25");
        // Up to the largest whole number a browser holds exactly.
        assertThat(read("country:GB", TOTALS.replace("\"version\":7", "\"version\":9007199254740991")
                .replace("\"jobs\":412500", "\"jobs\":9007199254740991")).problem()).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "scope":"country:GB"             | "scope":"Country:gb"                | invalid TotalsChanged: scope must be coalition or a kind and a name such as country:GB
            "scope":"country:GB"             | "scope":"country:"                  | invalid TotalsChanged: scope must be coalition or a kind and a name such as country:GB
            "version":7                      | "version":0                         | invalid TotalsChanged: version must be a whole number from 1 to 9007199254740991
            "version":7                      | "version":9007199254740992          | invalid TotalsChanged: version must be a whole number from 1 to 9007199254740991
            "jobs":412500                    | "jobs":-1                           | invalid TotalsChanged: clusters, countries and jobs must be whole numbers from 0 to 9007199254740991
            "clusters":3                     | "clusters":9007199254740992         | invalid TotalsChanged: clusters, countries and jobs must be whole numbers from 0 to 9007199254740991
            "gdpUsdBn":68.250                | "gdpUsdBn":1000000000000            | invalid TotalsChanged: emissionsReductionMtPerYear and gdpUsdBn must be between 0 and 999999999999.999 with at most 3 decimals
            "causedByEventId":"e-1"          | "causedByEventId":"a b"             | invalid TotalsChanged: causedByEventId must be 1 to 64 visible ASCII characters
            ,"updatedAt":"2025-01-22T10:00:00Z" |                                  | invalid TotalsChanged: updatedAt is required
            """)
    void refusesWhatAViewCannotStore(String field, String replacement, String reason) {
        assertThat(read("country:GB", TOTALS.replace(field, replacement == null ? "" : replacement)).problem())
                .isEqualTo(reason);
    }

    @Test
    void refusesAnotherTypeOrAKeyThatIsNotTheScope() {
        assertThat(read("country:FR", TOTALS).problem())
                .isEqualTo("invalid TotalsChanged: the record's key must be its scope");
        assertThat(reader.read(bytes("country:GB"), "org.coalitiontracker.ClusterJoined.v1", bytes(TOTALS))
                .problem()).isEqualTo("unknown event type (ce_type org.coalitiontracker.ClusterJoined.v1)");
        assertThat(read("country:GB", "not JSON").problem()).startsWith("not a readable TotalsChanged: ");
        assertThat(read("country:GB", TOTALS.replace("\"jobs\":412500", "\"jobs\":1.5")).problem())
                .startsWith("not a readable TotalsChanged: ");
    }

    @Test
    void readsAReconciliationKeyedCoalition() {
        MessageReader<ReconciliationChecked> reconciliations = MessageReader.reconciliationChecked();
        String checked = """
                {"status":"DIFFERENT","checkedAt":"2026-12-02T04:00:00Z","differentSince":"2026-12-02T03:55:00Z",
                 "differences":[{"figure":"clusters","totals":49,"roster":34}],"deadLetteredRecords":3}""";

        MessageReader.Reading<ReconciliationChecked> reading = reconciliations.read(bytes("coalition"),
                ReconciliationChecked.TYPE, bytes(checked));
        assertThat(reading.problem()).isNull();
        assertThat(reading.message().differences().get(0).totals()).isEqualByComparingTo("49");
        assertThat(reconciliations.read(bytes("coalition"), ReconciliationChecked.TYPE,
                bytes(checked.replace("DIFFERENT", "MAYBE"))).problem())
                .isEqualTo("invalid ReconciliationChecked: status must be EQUAL or DIFFERENT");
        assertThat(reconciliations.read(bytes("scope"), ReconciliationChecked.TYPE, bytes(checked)).problem())
                .isEqualTo("invalid ReconciliationChecked: the record's key must be coalition");
    }

    private MessageReader.Reading<TotalsChanged> read(String key, String value) {
        return reader.read(bytes(key), TotalsChanged.TYPE, bytes(value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
