package org.coalitiontracker.contracts;

import java.nio.charset.StandardCharsets;

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
}
