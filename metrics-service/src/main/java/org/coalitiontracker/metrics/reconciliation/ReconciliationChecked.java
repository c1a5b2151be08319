package org.coalitiontracker.metrics.reconciliation;

import java.time.Instant;
import java.util.List;

/**
 * The result of a reconciliation, published on {@code coalition-reconciliation} keyed {@code coalition} for the
 * dashboard. Contract: {@value #SCHEMA}.
 */
public record ReconciliationChecked(Reconciliation.Status status, Instant checkedAt, Instant differentSince,
        List<Reconciliation.Difference> differences, long deadLetteredRecords) {

    public static final String TYPE = "org.coalitiontracker.ReconciliationChecked.v1";
    public static final String SCHEMA = "/contracts/reconciliation-checked-v1.schema.json";

    static ReconciliationChecked of(Reconciliation reconciliation) {
        return new ReconciliationChecked(reconciliation.status(), reconciliation.checkedAt(),
                reconciliation.differentSince(), reconciliation.differences(),
                reconciliation.deadLettered().records());
    }
}
