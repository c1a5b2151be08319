package org.coalitiontracker.reporting.coalition;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.coalitiontracker.contracts.MessageReader;
import org.coalitiontracker.contracts.TotalsChanged;
import org.coalitiontracker.contracts.TraceAttributes;
import org.coalitiontracker.reporting.intake.Intake;
import org.coalitiontracker.reporting.intake.RecordSpans;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.opentelemetry.api.trace.Span;
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
    private final RecordSpans spans;

    ViewUpdater(Intake intake, RecordSpans spans) {
        this.intake = intake;
        this.spans = spans;
    }

    @Incoming("coalition-totals")
    public Uni<Void> refresh(ConsumerRecord<byte[], byte[]> record) {
        Span span = spans.start("coalition-totals view update", record);
        MessageReader.Reading<TotalsChanged> reading = READER.read(record.key(), Intake.header(record, "ce_type"),
                record.value());
        if (reading.problem() != null) {
            return spans.endWith(span, intake.refuse(record, reading.problem()));
        }
        TotalsChanged change = reading.message();
        describe(span, change);
        return spans.endWith(span, intake.write(record, () -> Panache.withTransaction(() -> ScopeView
                .<ScopeView> findById(change.scope())
                .chain(view -> {
                    if (view == null) {
                        view = new ScopeView();
                        view.scope = change.scope();
                    }
                    return view.refresh(change) ? view.persist().replaceWithVoid() : Uni.createFrom().voidItem();
                }))));
    }

    /** Says in a span which totals it took in: their scope and version, and the newest event they reflect. */
    static void describe(Span span, TotalsChanged change) {
        span.setAttribute(TraceAttributes.SCOPE, change.scope()).setAttribute(TraceAttributes.TOTALS_VERSION,
                change.version());
        if (change.causedByEventId() != null) {
            span.setAttribute(TraceAttributes.EVENT_ID, change.causedByEventId());
        }
    }
}
