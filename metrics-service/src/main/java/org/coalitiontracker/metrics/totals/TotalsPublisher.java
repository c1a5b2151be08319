package org.coalitiontracker.metrics.totals;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.metrics.MetricsSettings;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes totals on {@code coalition-totals}, keyed by scope. Readers keep the highest version per scope, so
 * publishing the same totals again is harmless: that is how a crash between commit and publish is repaired. But
 * compaction keeps a scope's last record, not its highest version: where two instances change a scope, the one that
 * committed first may publish last. So once sent, the scopes' versions are read again, and those that moved on are
 * sent again as they are now: the last record of each scope is never older than what the database holds.
 */
@ApplicationScoped
public class TotalsPublisher {

    private static final Logger LOG = Logger.getLogger(TotalsPublisher.class);

    private final MutinyEmitter<TotalsChanged> out;
    private final KafkaClientService kafka;
    private final TotalsQueries queries;
    private final MetricsSettings.Retry retry;

    TotalsPublisher(@Channel("coalition-totals") MutinyEmitter<TotalsChanged> out, KafkaClientService kafka,
            TotalsQueries queries, MetricsSettings settings) {
        this.out = out;
        this.kafka = kafka;
        this.queries = queries;
        this.retry = settings.retry();
    }

    /** Sends them all and completes when the broker has them; retried until it does. */
    Uni<Void> publish(List<TotalsChanged> totals) {
        return publish(totals, Context.root());
    }

    /**
     * As {@link #publish(List)}, each send continuing the trace given: the batch's that changed them; then, as long as
     * some of them are older than the database's, the newer ones.
     */
    Uni<Void> publish(List<TotalsChanged> totals, Context trace) {
        if (totals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sendsThenFlush = new ArrayList<>(totals.stream().map(changed -> send(changed, trace)).toList());
        sendsThenFlush.add(flush());
        return Uni.join().all(sendsThenFlush).andFailFast()
                .replaceWithVoid()
                .chain(() -> queries.newerThan(totals))
                .onFailure().invoke(failure -> LOG.warnf("Publishing %d totals failed, retrying: %s", totals.size(),
                        failure.toString()))
                .onFailure().retry().withBackOff(retry.firstBackOff(), retry.maxBackOff()).indefinitely()
                .chain(newer -> publish(newer, trace));
    }

    /**
     * Has the producer send what it holds, once the totals are handed to it (Uni.join subscribes it last): they are all
     * there is to send, and the producer's linger (5 ms) only delayed each change by that much. A flush that fails
     * leaves them to the linger: their acks say what went out.
     */
    private Uni<Void> flush() {
        return Uni.createFrom().deferred(() -> kafka.getProducer("coalition-totals").<Void> flush()).onFailure()
                .recoverWithNull();
    }

    private Uni<Void> send(TotalsChanged totals, Context trace) {
        return out.sendMessage(Message.of(totals).addMetadata(TracingMetadata.withCurrent(trace))
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(totals.scope()).build()));
    }
}
