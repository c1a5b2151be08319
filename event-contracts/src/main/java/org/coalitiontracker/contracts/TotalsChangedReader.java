package org.coalitiontracker.contracts;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads a record of {@code coalition-totals} (its key, its {@code ce_type} header and its value) into the totals it
 * holds, checked by {@link TotalsChanged#problem()} and keyed by their scope (compaction keeps the newest record per
 * key). It never throws. Thread-safe.
 */
public final class TotalsChangedReader {

    /** The totals, or why a view cannot take them. */
    public record Reading(TotalsChanged totals, String problem) {
    }

    private final ObjectReader reader = StrictJson.readerFor(TotalsChanged.class);

    public Reading read(byte[] key, String type, byte[] value) {
        if (!TotalsChanged.TYPE.equals(type)) {
            return new Reading(null, "unknown event type (ce_type " + type + ")");
        }
        StrictJson.Parsed<TotalsChanged> parsed = StrictJson.parse(reader, value);
        if (parsed.problem() != null) {
            return new Reading(null, parsed.problem());
        }
        String problem = parsed.value().problem();
        if (problem == null && (key == null
                || !parsed.value().scope().equals(new String(key, StandardCharsets.UTF_8)))) {
            problem = "the record's key must be its scope";
        }
        return problem == null ? new Reading(parsed.value(), null)
                : new Reading(null, "invalid TotalsChanged: " + problem);
    }
}
