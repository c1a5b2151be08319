package org.coalitiontracker.metrics.totals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.contracts.EventLogContext;
import org.coalitiontracker.contracts.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Where records that can never be applied go: to {@code cluster-events.dlq}, as they were (key and value byte for
 * byte, headers), with {@code dead-letter-reason}, {@code dead-letter-topic}, {@code dead-letter-partition} and
 * {@code dead-letter-offset} headers, so that the stream goes on and nobody loses sight of them. Each is also noted
 * in the database, in the transaction that moves the position past it, so that reconciliation can say what the
 * totals did not count.
 * Created at start, so that its counter shows 0 before the first dead letter rather than nothing (dashboards and
 * alerts on its increase need the series to exist).
 */
@Startup
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final int NEWEST = 10;

    /** A record dead-lettered, as reconciliation lists it; its key as text (not byte for byte: the topic has that). */
    public record DeadLettered(String topic, int partition, long offset, String key, String reason, Instant at) {
    }

    /** How many records were dead-lettered, and the newest of them. */
    public record Summary(long records, List<DeadLettered> newest) {
    }

    private final MutinyEmitter<byte[]> out;
    private final Pool pool;
    private final Counter counter;

    DeadLetters(@Channel("cluster-events-dlq") MutinyEmitter<byte[]> out, Pool pool, MeterRegistry registry) {
        this.out = out;
        this.pool = pool;
        this.counter = Counter.builder("cluster.events.dead.lettered")
                .description("Records of cluster-events that could not be applied and went to cluster-events.dlq")
                .register(registry);
    }

    /** Sends the record to the dead-letter topic, then notes it in the caller's transaction. */
    Uni<Void> deadLetter(SqlConnection connection, ConsumerRecord<byte[], EventReading> record, String reason) {
        return send(record, reason).chain(() -> note(connection, record, reason));
    }

    Uni<Void> send(ConsumerRecord<byte[], EventReading> record, String reason) {
        try (EventLogContext about = EventLogContext.of(record)) {
            LOG.warnf("Dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        }
        byte[] value = record.value() == null ? null : record.value().value();
        return out.sendMessage(Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<byte[]> builder()
                .withKey(record.key()).withHeaders(RecordHeaders.deadLetter(record, reason)).build()))
                .invoke(() -> counter.increment());
    }

    /** Notes a dead-lettered record in the caller's transaction; noting it again changes nothing. */
    Uni<Void> note(SqlConnection connection, ConsumerRecord<byte[], EventReading> record, String reason) {
        return connection.preparedQuery("""
                INSERT INTO dead_letter (topic, partition, record_offset, record_key, reason) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(record.topic(), record.partition(), record.offset(),
                        record.key() == null ? null : Buffer.buffer(record.key()),
                        storable(reason)))
                .replaceWithVoid();
    }

    public Uni<Summary> summary() {
        return pool.query("SELECT count(*) FROM dead_letter").execute()
                .map(rows -> rows.iterator().next().getLong(0))
                .chain(count -> pool.preparedQuery("""
                        SELECT topic, partition, record_offset, record_key, reason, dead_lettered_at FROM dead_letter
                        ORDER BY dead_lettered_at DESC, record_offset DESC LIMIT $1""").execute(Tuple.of(NEWEST))
                        .map(rows -> {
                            List<DeadLettered> newest = new ArrayList<>();
                            for (Row row : rows) {
                                byte[] key = row.getBuffer("record_key") == null ? null
                                        : row.getBuffer("record_key").getBytes();
                                newest.add(new DeadLettered(row.getString("topic"), row.getInteger("partition"),
                                        row.getLong("record_offset"),
                                        key == null ? null : new String(key, StandardCharsets.UTF_8),
                                        row.getString("reason"),
                                        row.getOffsetDateTime("dead_lettered_at").toInstant()));
                            }
                            return new Summary(count, newest);
                        }));
    }

    /**
     * The reason as PostgreSQL's text can hold it: a reason quotes what could not be read, which may hold a NUL or
     * an unpaired surrogate, and a note that cannot be written would hold up the stream it exists to let go on.
     */
    private static String storable(String reason) {
        StringBuilder text = new StringBuilder(reason.length());
        reason.codePoints().forEach(c -> text.appendCodePoint(c == 0 || Character.getType(c) == Character.SURROGATE
                ? '\ufffd'
                : c));
        return text.toString();
    }
}
