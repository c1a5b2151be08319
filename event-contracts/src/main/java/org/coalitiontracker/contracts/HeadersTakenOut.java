package org.coalitiontracker.contracts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Takes a record's headers out of the fetch response as the consumer reads the record. Kafka hands each header over as
 * slices of the whole response (megabytes), decoded lazily: a header nobody asked for kept the response alive as long
 * as its batch (metrics-service's peak memory in a rebuild fell by 15-30 MiB when they were taken out). And the headers
 * that are the same on nearly every record (the spec version, the source, the content type, a type and its schema) are
 * replaced by one instance of each value held here, keeping the headers' order, so that the batches in flight hold
 * them once, not once per record, and the dead-letter topic still gets them as they came. At most a few values per name
 * are held, each of a few hundred bytes at most, whatever a publisher sends. One per consumer: a consumer's deserializer runs
 * on its one thread.
 */
public final class HeadersTakenOut {

    private static final int VALUES_HELD_PER_NAME = 4;
    /** Far longer than the values producers write: the longest, a schema's address, is a URL. */
    private static final int LONGEST_VALUE_HELD = 256;

    private final Map<String, List<Header>> common = Map.of("ce_specversion", new ArrayList<>(),
            "ce_source", new ArrayList<>(), "ce_type", new ArrayList<>(), "ce_dataschema", new ArrayList<>(),
            "content-type", new ArrayList<>());

    /** Takes the record's headers out, the common ones replaced by those held. */
    public void takeOut(Headers headers) {
        Header[] all = headers.toArray();
        boolean replaced = false;
        for (int i = 0; i < all.length; i++) {
            Header held = held(all[i]);
            replaced |= held != all[i];
            all[i] = held;
        }
        if (replaced) {
            for (Header header : all) {
                headers.remove(header.key());
            }
            for (Header header : all) {
                headers.add(header);
            }
        }
    }

    /** The header, its key and value taken out (Kafka's RecordHeader then lets its slices go), or the one held. */
    private Header held(Header header) {
        List<Header> held = common.get(header.key());
        if (held == null || header.value() == null) {
            return header;
        }
        for (Header one : held) {
            if (Arrays.equals(one.value(), header.value())) {
                return one;
            }
        }
        if (held.size() < VALUES_HELD_PER_NAME && header.value().length <= LONGEST_VALUE_HELD) {
            held.add(header);
        }
        return header;
    }
}
