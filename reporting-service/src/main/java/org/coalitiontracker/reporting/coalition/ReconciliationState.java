package org.coalitiontracker.reporting.coalition;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.contracts.MessageReader;
import org.coalitiontracker.contracts.ReconciliationChecked;
import org.coalitiontracker.reporting.intake.Intake;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The newest reconciliation of the totals with the roster, as metrics-service publishes it on
 * {@code coalition-reconciliation}: every replica reads the (compacted) topic from its start in a group of its own.
 * What the contract's rule refuses is skipped: the dashboard shows nothing rather than something wrong.
 */
@ApplicationScoped
public class ReconciliationState {

    private static final Logger LOG = Logger.getLogger(ReconciliationState.class);
    private static final MessageReader<ReconciliationChecked> READER = MessageReader.reconciliationChecked();

    private final AtomicReference<ReconciliationChecked> newest = new AtomicReference<>();

    @Incoming("coalition-reconciliation")
    void receive(ConsumerRecord<byte[], byte[]> record) {
        MessageReader.Reading<ReconciliationChecked> reading = READER.read(record.key(),
                Intake.header(record, "ce_type"), record.value());
        if (reading.problem() != null) {
            LOG.warnf("Skipping %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reading.problem());
            return;
        }
        newest.accumulateAndGet(reading.message(), (known, next) -> known == null
                || !next.checkedAt().isBefore(known.checkedAt()) ? next : known);
    }

    /** The newest reconciliation, or null if none has been read yet. */
    ReconciliationChecked newest() {
        return newest.get();
    }
}
