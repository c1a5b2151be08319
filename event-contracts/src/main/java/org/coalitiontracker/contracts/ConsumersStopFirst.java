package org.coalitiontracker.contracts;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaConnector;

/**
 * A service stops taking records from its topics, and applies what it holds, before its database pool closes. Quarkus
 * closes the reactive pool in a shutdown task that runs before the beans are destroyed, and the Kafka connector closes
 * its channels only then. So a batch being applied as the service stopped failed with "Pool closed" and was retried
 * until the connector gave up waiting for it, and a consumer handed the partitions of one closed before it ran its
 * rebalance listener on the closed pool (an ERROR in the log). Quarkus fires its shutdown event before it closes the
 * pool. Here every incoming channel that is pausable ({@code pausable=true}: metrics-service's and reporting-service's
 * that write) stops handing records to the service; what the service holds is applied, results sent included; then the
 * connector closes its channels, consumers (committing what was applied; those channels need no grace,
 * {@code graceful-shutdown=false}) then producers. What a consumer fetched and was not handed, the next instance reads
 * again. The connector's own close, later, finds the channels closed. (The benchmarks' join peer, the one Quarkus app
 * with these contracts and no Kafka connector, excludes this bean.)
 */
@Singleton
public class ConsumersStopFirst {

    private static final Logger LOG = Logger.getLogger(ConsumersStopFirst.class);

    /**
     * How long what the consumers hold may take to apply: a batch takes well under a second, and a pod's grace period
     * (40 s) leaves 10 s after draining its requests (deploy/kubernetes/base/quarkus-pod.yaml).
     */
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** Between two looks at what the consumers hold. */
    private static final long LOOK_MILLIS = 50;

    void closeChannels(@Observes ShutdownEvent shutdown, @Connector(KafkaConnector.CONNECTOR_NAME) KafkaConnector kafka,
            ChannelRegistry channels, Instance<RecordsInHand> inHand) throws InterruptedException {
        long start = System.nanoTime();
        List<String> paused = kafka.getConsumerChannels().stream().sorted()
                .filter(channel -> channels.getPausable(channel) != null).toList();
        paused.forEach(channel -> channels.getPausable(channel).pause());
        // Twice in a row: a batch handed over just before the pause may not be taken in yet at the first look.
        long deadline = start + WAIT.toNanos();
        int emptyLooks = 0;
        while (!inHand.isUnsatisfied() && emptyLooks < 2 && System.nanoTime() < deadline) {
            emptyLooks = inHand.stream().anyMatch(RecordsInHand::any) ? 0 : emptyLooks + 1;
            TimeUnit.MILLISECONDS.sleep(LOOK_MILLIS);
        }
        if (!paused.isEmpty()) {
            LOG.infof("Stopping: %s handed over no more records, and what the service held was %s in %d ms", paused,
                    emptyLooks == 2 ? "applied" : "still being applied", (System.nanoTime() - start) / 1_000_000);
        }
        kafka.terminate(shutdown);
    }
}
