package org.coalitiontracker.metrics.totals;

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
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes totals on {@code coalition-totals}, keyed by scope. Readers keep the highest version per scope, so
 * publishing the same totals again is harmless: that is how a crash between commit and publish is repaired.
 */
@ApplicationScoped
public class TotalsPublisher {

    private static final Logger LOG = Logger.getLogger(TotalsPublisher.class);

    private final MutinyEmitter<TotalsChanged> out;
    private final MetricsSettings.Retry retry;

    TotalsPublisher(@Channel("coalition-totals") MutinyEmitter<TotalsChanged> out, MetricsSettings settings) {
        this.out = out;
        this.retry = settings.retry();
    }

    /** Sends them all and completes when the broker has them; retried until it does. */
    Uni<Void> publish(List<TotalsChanged> totals) {
        return publish(totals, Context.root());
    }

    /** As {@link #publish(List)}, each send continuing the trace given: the batch's that changed them. */
    Uni<Void> publish(List<TotalsChanged> totals, Context trace) {
        if (totals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(totals.stream().map(changed -> send(changed, trace)).toList()).andFailFast()
                .replaceWithVoid()
                .onFailure().invoke(failure -> LOG.warnf("Publishing %d totals failed, retrying: %s", totals.size(),
                        failure.toString()))
                .onFailure().retry().withBackOff(retry.firstBackOff(), retry.maxBackOff()).indefinitely();
    }

    private Uni<Void> send(TotalsChanged totals, Context trace) {
        return out.sendMessage(Message.of(totals).addMetadata(TracingMetadata.withCurrent(trace))
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(totals.scope()).build()));
    }
}
