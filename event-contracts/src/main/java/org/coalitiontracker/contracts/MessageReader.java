package org.coalitiontracker.contracts;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads a record of a topic that carries one type of message keyed by what it is about ({@code coalition-totals}:
 * by scope; {@code coalition-reconciliation}: by {@code coalition}): its key, its {@code ce_type} header and its
 * value. It checks the message by its rule and its key (compaction keeps the newest record per key, so a wrong key
 * would let a stale message outlive a newer one). It never throws. Thread-safe.
 */
public final class MessageReader<T> {

    /** The message, or why a consumer cannot take it. */
    public record Reading<T>(T message, String problem) {
    }

    private final String type;
    private final ObjectReader reader;
    private final Function<T, String> rule;
    private final Function<T, String> key;
    private final String keyIs;

    private MessageReader(String type, Class<T> messages, Function<T, String> rule, Function<T, String> key,
            String keyIs) {
        this.type = type;
        this.reader = StrictJson.readerFor(messages);
        this.rule = rule;
        this.key = key;
        this.keyIs = keyIs;
    }

    public static MessageReader<TotalsChanged> totalsChanged() {
        return new MessageReader<>(TotalsChanged.TYPE, TotalsChanged.class, TotalsChanged::problem,
                TotalsChanged::scope, "its scope");
    }

    public static MessageReader<ReconciliationChecked> reconciliationChecked() {
        return new MessageReader<>(ReconciliationChecked.TYPE, ReconciliationChecked.class,
                ReconciliationChecked::problem, checked -> ReconciliationChecked.KEY, ReconciliationChecked.KEY);
    }

    public Reading<T> read(byte[] recordKey, String recordType, byte[] value) {
        if (!type.equals(recordType)) {
            return new Reading<>(null, "unknown event type (ce_type " + recordType + ")");
        }
        StrictJson.Parsed<T> parsed = StrictJson.parse(reader, value);
        if (parsed.problem() != null) {
            return new Reading<>(null, parsed.problem());
        }
        String problem = rule.apply(parsed.value());
        if (problem == null && (recordKey == null
                || !key.apply(parsed.value()).equals(new String(recordKey, StandardCharsets.UTF_8)))) {
            problem = "the record's key must be " + keyIs;
        }
        String name = reader.getValueType().getRawClass().getSimpleName();
        return problem == null ? new Reading<>(parsed.value(), null)
                : new Reading<>(null, "invalid " + name + ": " + problem);
    }
}
