package org.coalitiontracker.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class HeadersTakenOutTest {

    private final HeadersTakenOut taken = new HeadersTakenOut();

    @Test
    void theHeadersStayAsTheyCameForTheDeadLetterTopic() {
        Headers first = headers("1", "ce_specversion", "1.0", "ce_id", "a", "ce_source", "/membership",
                "ce_type", "org.coalitiontracker.ClusterJoined.v1", "ce_id", "b", "content-type", null);
        Headers second = headers("2", "ce_specversion", "1.0", "ce_id", "a", "ce_source", "/membership",
                "ce_type", "org.coalitiontracker.ClusterJoined.v1", "ce_id", "b", "content-type", null);
        List<String> asTheyCame = text(second);

        taken.takeOut(first);
        taken.takeOut(second);

        assertThat(text(second)).isEqualTo(asTheyCame);
    }

    @Test
    void aValueMostRecordsShareIsHeldOnce() {
        Headers first = headers("1", "ce_source", "/membership", "ce_type", "org.coalitiontracker.ClusterJoined.v1");
        Headers second = headers("2", "ce_source", "/membership", "ce_type", "org.coalitiontracker.ClusterJoined.v1");

        taken.takeOut(first);
        taken.takeOut(second);

        assertThat(second.lastHeader("ce_source")).isSameAs(first.lastHeader("ce_source"));
        assertThat(second.lastHeader("ce_type")).isSameAs(first.lastHeader("ce_type"));
        assertThat(second.lastHeader("ce_id")).isNotSameAs(first.lastHeader("ce_id"));
    }

    @Test
    void aPublisherThatSendsEverChangingValuesGetsThemBackUnshared() {
        for (int i = 0; i < 100; i++) {
            taken.takeOut(headers("x", "ce_source", "/source-" + i));
        }
        Headers again = headers("y", "ce_source", "/source-99");
        Header asItCame = again.lastHeader("ce_source");

        taken.takeOut(again);

        assertThat(again.lastHeader("ce_source")).isSameAs(asItCame);
    }

    @Test
    void aLongValueIsNeverHeld() {
        String long1 = "/" + "x".repeat(300);
        Headers first = headers("1", "ce_source", long1);
        Headers second = headers("2", "ce_source", long1);
        Header asItCame = second.lastHeader("ce_source");

        taken.takeOut(first);
        taken.takeOut(second);

        assertThat(second.lastHeader("ce_source")).isSameAs(asItCame);
    }

    @Test
    void aConsumerThatParsesLaterGetsTheBytesAsTheyCameAndTheHeadersShared() {
        try (BytesWithHeadersTakenOut deserializer = new BytesWithHeadersTakenOut()) {
            Headers first = headers("1", "ce_source", "/membership");
            Headers second = headers("2", "ce_source", "/membership");
            byte[] value = { '{', '}' };

            assertThat(deserializer.deserialize("cluster-events", first, value)).isSameAs(value);
            deserializer.deserialize("cluster-events", second, value);

            assertThat(second.lastHeader("ce_source")).isSameAs(first.lastHeader("ce_source"));
        }
    }

    /** A record's headers: a ce_id, then name and value pairs (a value may be null). */
    private static Headers headers(String id, String... namesAndValues) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i],
                    namesAndValues[i + 1] == null ? null : namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static List<String> text(Headers headers) {
        return Arrays.stream(headers.toArray())
                .map(header -> header.key() + "=" + (header.value() == null ? null
                        : new String(header.value(), StandardCharsets.UTF_8)))
                .toList();
    }
}
