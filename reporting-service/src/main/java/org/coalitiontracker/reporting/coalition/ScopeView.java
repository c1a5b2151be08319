package org.coalitiontracker.reporting.coalition;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import org.coalitiontracker.contracts.TotalsChanged;

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

    /** Takes the message's figures unless this view already reflects the same or a newer version. */
    boolean refresh(TotalsChanged change) {
        if (change.version() <= version) {
            return false;
        }
        version = change.version();
        clusters = change.clusters();
        countries = change.countries();
        emissionsReductionMtPerYear = change.emissionsReductionMtPerYear();
        jobs = change.jobs();
        gdpUsdBn = change.gdpUsdBn();
        lastEventId = change.causedByEventId();
        lastEventAt = change.causedByEventAt();
        updatedAt = change.updatedAt();
        return true;
    }
}
