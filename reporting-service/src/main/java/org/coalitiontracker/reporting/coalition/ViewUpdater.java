package org.coalitiontracker.reporting.coalition;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.contracts.MessageReader;
import org.coalitiontracker.contracts.TotalsChanged;
import org.coalitiontracker.reporting.intake.Intake;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Materializes {@code coalition-totals} into this service's own database, newest version per scope. What the views
 * cannot hold goes to {@code coalition-totals.reporting.dlq} with the reason, and the views go on.
 */
@ApplicationScoped
public class ViewUpdater {

    static final MessageReader<TotalsChanged> READER = MessageReader.totalsChanged();

    private final Intake intake;

    ViewUpdater(Intake intake) {
        this.intake = intake;
    }

    @Incoming("coalition-totals")
    public Uni<Void> refresh(ConsumerRecord<byte[], byte[]> record) {
        MessageReader.Reading<TotalsChanged> reading = READER.read(record.key(), Intake.header(record, "ce_type"),
                record.value());
        if (reading.problem() != null) {
            return intake.refuse(record, reading.problem());
        }
        TotalsChanged change = reading.message();
        return intake.write(record, () -> Panache.withTransaction(() -> ScopeView.<ScopeView> findById(change.scope())
                .chain(view -> {
                    if (view == null) {
                        view = new ScopeView();
                        view.scope = change.scope();
                    }
                    return view.refresh(change) ? view.persist().replaceWithVoid() : Uni.createFrom().voidItem();
                })));
    }
}
