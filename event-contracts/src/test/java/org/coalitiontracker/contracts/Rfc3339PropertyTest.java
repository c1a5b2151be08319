package org.coalitiontracker.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Reading dates and times directly gives what the JDK's parsing gives (and, in a message, what Jackson's JSR-310 module
 * gives), for the forms producers write, for the same forms with every field out of range, and for text that is nearly
 * one of them.
 */
class Rfc3339PropertyTest {

    @Property(tries = 5000)
    void readsEveryEventTimeAsTheJdkDoes(@ForAll("times") String text) {
        Instant expected = jdkInstant(text);
        Statistics.label("the JDK").collect(expected == null ? "refuses" : "reads");
        Statistics.label("as producers write it").collect(text.matches("\\d{4}-.{14}(\\.\\d+)?Z"));

        assertThat(Rfc3339.instant(text)).isEqualTo(expected);
    }

    @Property(tries = 5000)
    void readsADateDirectlyOnlyAsTheJdkDoes(@ForAll("dates") String text) {
        LocalDate expected = jdkDate(text);
        LocalDate read = Rfc3339.date(text);
        Statistics.label("read directly").collect(read != null);

        if (read != null || text.matches("\\d{4}-\\d{2}-\\d{2}")) {
            assertThat(read).isEqualTo(expected);
        }
    }

    /** A message's times too: a totals message's {@code updatedAt} is what Jackson's JSR-310 module alone reads. */
    @Property(tries = 5000)
    void readsEveryMessageTimeAsJacksonsModuleDoes(@ForAll("times") String text) {
        String message = new ObjectMapper().createObjectNode().put("updatedAt", text).toString();
        Instant expected = jacksonInstant(message);
        Statistics.label("Jackson's module").collect(expected == null ? "refuses" : "reads");

        assertThat(messageInstant(message)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> times() {
        Arbitrary<String> written = Combinators.combine(dates(), number(0, 25), number(0, 61), number(0, 62),
                Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(10),
                Arbitraries.of("Z", "z", "+00:00", "+01:30", "-05:00", ""))
                .as((date, hour, minute, second, fraction, zone) -> date + "T" + hour + ":" + minute + ":" + second
                        + (fraction.isEmpty() ? "" : "." + fraction) + zone);
        Arbitrary<String> instants = Combinators.combine(
                Arbitraries.longs().between(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                        Instant.parse("9999-12-31T23:59:59Z").getEpochSecond()),
                Arbitraries.of(0, 1_000_000, 123_456_000, 999_999_999))
                .as((seconds, nanos) -> Instant.ofEpochSecond(seconds, nanos).toString());
        return Arbitraries.oneOf(instants, written, written.map(Rfc3339PropertyTest::nudged),
                Arbitraries.strings().withChars("0123456789-T:.Z+ ").ofMinLength(18).ofMaxLength(32));
    }

    @Provide
    Arbitrary<String> dates() {
        Arbitrary<String> written = Combinators.combine(Arbitraries.integers().between(0, 9999), number(0, 13),
                number(0, 32)).as((year, month, day) -> "%04d-%s-%s".formatted(year, month, day));
        return Arbitraries.oneOf(written, written.map(Rfc3339PropertyTest::nudged),
                Arbitraries.of("+10000-01-01", "-5000-01-01", "2025-1-01", " 2025-01-01", "2025/01/01"));
    }

    /** Two digits, from {@code min} to {@code max} (beyond what is valid, so that the JDK refuses some). */
    private static Arbitrary<String> number(int min, int max) {
        return Arbitraries.integers().between(min, max).map(value -> "%02d".formatted(value));
    }

    /** The text with one character replaced by another that could appear in it. */
    private static String nudged(String text) {
        int at = Math.floorMod(text.hashCode(), text.length());
        char replacement = "0-T:.Z9 ".charAt(Math.floorMod(text.hashCode() >> 8, 8));
        return text.substring(0, at) + replacement + text.substring(at + 1);
    }

    private static Instant jdkInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException refused) {
            return null;
        }
    }

    private static Instant jacksonInstant(String message) {
        try {
            return JsonMapper.builder().addModule(new JavaTimeModule()).build().readValue(message, TotalsChanged.class)
                    .updatedAt();
        } catch (IOException refused) {
            return null;
        }
    }

    private static Instant messageInstant(String message) {
        StrictJson.Parsed<TotalsChanged> parsed = StrictJson.parse(StrictJson.readerFor(TotalsChanged.class),
                message.getBytes(StandardCharsets.UTF_8));
        return parsed.value() == null ? null : parsed.value().updatedAt();
    }

    private static LocalDate jdkDate(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException refused) {
            return null;
        }
    }
}
