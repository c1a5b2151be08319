package org.coalitiontracker.reporting.coalition;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The materialized view of one scope's totals: the newest version received from {@code coalition-totals}. */
@Entity
public class ScopeView extends PanacheEntityBase {

    public static final String COALITION = "coalition";

    @Id
    public String scope;
    public long version;
    public long clusters;
    public long countries;
    public BigDecimal emissionsReductionMtPerYear;
    public long jobs;
    public BigDecimal gdpUsdBn;
    public String lastEventId;
    /** When the last event these totals reflect happened (its ce_time); null if the producer did not say. */
    public Instant lastEventAt;
    public Instant updatedAt;
}
