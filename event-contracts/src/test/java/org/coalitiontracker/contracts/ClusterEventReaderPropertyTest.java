package org.coalitiontracker.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.coalitiontracker.localinfra.HostileClusterRecords;
import org.coalitiontracker.localinfra.HostileClusterRecords.ClusterRecord;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The rule, against records a hostile publisher could write: it never throws, and what it accepts any consumer can
 * store and sum. The checks of "storable" here are written apart from the rule, as the databases and Java see it.
 */
class ClusterEventReaderPropertyTest {

    private final ClusterEventReader reader = new ClusterEventReader();

    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void acceptsOnlyWhatEveryConsumerCanStoreAndSum(@ForAll("records") ClusterRecord record) {
        ClusterEventReading reading = reader.read(record.key(), record.type(), record.eventId(), record.value());
        Statistics.label("outcome").collect(reading.applicable() ? "applied" : "refused");

        assertThat(reading.applicable()).isNotEqualTo(reading.problem() != null);
        if (reading.applicable()) {
            assertStorable(record, reading.event());
        }
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void acceptsEveryWellFormedEvent(@ForAll("wellFormed") ClusterRecord record) {
        assertThat(reader.read(record.key(), record.type(), record.eventId(), record.value()).problem()).isNull();
    }

    @Provide
    Arbitrary<ClusterRecord> records() {
        return HostileClusterRecords.records();
    }

    @Provide
    Arbitrary<ClusterRecord> wellFormed() {
        return HostileClusterRecords.wellFormed();
    }

    private static void assertStorable(ClusterRecord record, ClusterEvent event) {
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualToIgnoringCase(
                event.clusterId().toString());
        assertThat(event.version()).isPositive();
        assertDate(event.joinedOn());
        if (event.withdrawnOn() != null) {
            assertDate(event.withdrawnOn());
            assertThat(event.withdrawnOn()).isAfterOrEqualTo(event.joinedOn());
        }
        assertThat(event.country()).matches("[A-Z]{2}");
        assertThat(event.sectors()).isNotEmpty().doesNotHaveDuplicates().allMatch(sector -> sector.matches("[A-Z_]+"));
        assertFigure(event.figures().emissionsReductionMtPerYear());
        assertFigure(event.figures().gdpUsdBn());
        // Ten million clusters at the most still sum within a bigint.
        assertThat(event.figures().jobs()).isBetween(0L, Long.MAX_VALUE / 10_000_000);
        if (event instanceof ClusterJoined joined) {
            assertText(joined.name(), 200);
            if (joined.figuresBasis() != null) {
                assertText(joined.figuresBasis(), 500);
            }
        }
    }

    /** Four-digit years: what PostgreSQL, Java and ISO 8601 without a sign all write the same way. */
    private static void assertDate(LocalDate date) {
        assertThat(date.getYear()).isBetween(1900, 9999);
    }

    /** numeric(12, 3) per cluster, and ten million of them within the totals' numeric(15, 3). */
    private static void assertFigure(BigDecimal figure) {
        BigDecimal stored = figure.setScale(3);
        assertThat(stored.compareTo(figure)).isZero();
        assertThat(stored.precision()).isLessThanOrEqualTo(12);
        assertThat(stored.multiply(BigDecimal.valueOf(10_000_000)).precision()).isLessThanOrEqualTo(15);
        assertThat(stored.signum()).isNotNegative();
    }

    /** Survives UTF-8 (no lone surrogate), no character PostgreSQL refuses or that breaks a line, and fits. */
    private static void assertText(String text, int maxCharacters) {
        assertThat(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(text.chars()).noneMatch(c -> c < 0x20 || (c >= 0x7f && c < 0xa0));
        assertThat(text.codePointCount(0, text.length())).isBetween(1, maxCharacters);
        assertThat(text.strip()).isNotEmpty();
    }
}
