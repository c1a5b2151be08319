package org.coalitiontracker.metrics.reconciliation;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.metrics.totals.CoalitionTotals;
import org.coalitiontracker.metrics.totals.DeadLetters;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Compares the coalition totals with membership-service's roster, on request and every
 * {@code METRICS_RECONCILIATION_INTERVAL}. Each scheduled result is a gauge, so that an alert can fire on a mismatch
 * that lasts ({@code coalition_reconciliation_different_for_seconds}), and is published on
 * {@code coalition-reconciliation} for reporting-service to show on the dashboard.
 */
@ApplicationScoped
public class CoalitionReconciliation {

    private static final Logger LOG = Logger.getLogger(CoalitionReconciliation.class);

    private final MembershipRoster membership;
    private final CoalitionTotals coalitionTotals;
    private final DeadLetters deadLetters;
    private final MutinyEmitter<ReconciliationChecked> out;
    private final AtomicReference<Reconciliation> last = new AtomicReference<>();

    CoalitionReconciliation(@RestClient MembershipRoster membership, CoalitionTotals coalitionTotals,
            DeadLetters deadLetters, @Channel("coalition-reconciliation") MutinyEmitter<ReconciliationChecked> out,
            MeterRegistry registry) {
        this.membership = membership;
        this.coalitionTotals = coalitionTotals;
        this.deadLetters = deadLetters;
        this.out = out;
        Gauge.builder("coalition.reconciliation.differences", last, known -> known.get() == null ? Double.NaN
                : known.get().differences().size())
                .description("Figures of the coalition totals that differ from the roster's, at the last check")
                .register(registry);
        Gauge.builder("coalition.reconciliation.different.for", last, known -> known.get() == null
                || known.get().differentSince() == null ? 0
                        : Duration.between(known.get().differentSince(), Instant.now()).toMillis() / 1000.0)
                .description("How long the coalition totals have differed from the roster; 0 while they are equal")
                .baseUnit("seconds").register(registry);
    }

    /** Compares now; fails if membership-service cannot answer. */
    public Uni<Reconciliation> check() {
        return coalitionTotals.current()
                .chain(totals -> membership.summary().chain(roster -> deadLetters.summary()
                        .map(dead -> Reconciliation.of(totals, roster, dead, differentSince()))))
                .invoke(last::set);
    }

    @Scheduled(every = "${metrics.reconciliation.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> checkAndPublish() {
        return check().chain(reconciliation -> out.sendMessage(Message.of(ReconciliationChecked.of(reconciliation))
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey("coalition").build())))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Reconciliation could not run: %s", failure.toString());
                    return null;
                });
    }

    private Instant differentSince() {
        Reconciliation known = last.get();
        return known == null ? null : known.differentSince();
    }
}
