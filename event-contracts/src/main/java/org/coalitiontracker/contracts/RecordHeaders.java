package org.coalitiontracker.contracts;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** The headers of a record as a consumer reads them: a header may be missing, repeated, or have no value at all. */
public final class RecordHeaders {

    private RecordHeaders() {
    }

    /** The last header of that name as UTF-8 text; null when there is none or it has no value. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * The headers of a record sent to a dead-letter topic: its own, then why and where it was refused
     * ({@code dead-letter-reason}, {@code dead-letter-topic}, {@code dead-letter-partition}, {@code dead-letter-offset},
     * the names SmallRye's dead-letter queue uses too).
     */
    public static Headers deadLetter(ConsumerRecord<?, ?> record, String reason) {
        return new org.apache.kafka.common.header.internals.RecordHeaders(record.headers().toArray())
                .add("dead-letter-reason", bytes(reason))
                .add("dead-letter-topic", bytes(record.topic()))
                .add("dead-letter-partition", bytes(String.valueOf(record.partition())))
                .add("dead-letter-offset", bytes(String.valueOf(record.offset())));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
