package org.coalitiontracker.metrics.totals;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Where records that can never be applied go: to {@code cluster-events.dlq}, as they were (key and value byte for
 * byte, headers), with {@code dead-letter-reason}, {@code dead-letter-topic}, {@code dead-letter-partition} and
 * {@code dead-letter-offset} headers, so that the stream goes on and nobody loses sight of them.
 * Created at start, so that its counter shows 0 before the first dead letter rather than nothing (dashboards and
 * alerts on its increase need the series to exist).
 */
@Startup
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<byte[]> out;
    private final Counter counter;

    DeadLetters(@Channel("cluster-events-dlq") MutinyEmitter<byte[]> out, MeterRegistry registry) {
        this.out = out;
        this.counter = Counter.builder("cluster.events.dead.lettered")
                .description("Records of cluster-events that could not be applied and went to cluster-events.dlq")
                .register(registry);
    }

    Uni<Void> send(ConsumerRecord<byte[], EventReading> record, String reason) {
        LOG.warnf("Dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add("dead-letter-reason", bytes(reason))
                .add("dead-letter-topic", bytes(record.topic()))
                .add("dead-letter-partition", bytes(String.valueOf(record.partition())))
                .add("dead-letter-offset", bytes(String.valueOf(record.offset())));
        byte[] value = record.value() == null ? null : record.value().value();
        return out.sendMessage(Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<byte[]> builder()
                .withKey(record.key()).withHeaders(headers).build()))
                .invoke(() -> counter.increment());
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
