package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The running totals of one scope: the whole coalition for now. */
@Entity
public class ScopeTotals extends PanacheEntityBase {

    public static final String COALITION = "coalition";

    @Id
    public String scope;
    public long clusters;
    public long countries;
    public BigDecimal emissionsReductionMtPerYear;
    public long jobs;
    public BigDecimal gdpUsdBn;
    /** Grows by one with every change, so that readers keep only the newest. */
    public long version;
    public String lastEventId;
    public Instant updatedAt;

    static ScopeTotals empty(String scope) {
        ScopeTotals totals = new ScopeTotals();
        totals.scope = scope;
        totals.emissionsReductionMtPerYear = BigDecimal.ZERO;
        totals.gdpUsdBn = BigDecimal.ZERO;
        return totals;
    }

    /** Adds a contribution ({@code sign} 1) or takes it back ({@code sign} -1). */
    void add(ClusterContribution contribution, int sign) {
        if (!contribution.active) {
            return;
        }
        BigDecimal factor = BigDecimal.valueOf(sign);
        clusters += sign;
        emissionsReductionMtPerYear = emissionsReductionMtPerYear.add(contribution.emissionsReductionMtPerYear.multiply(factor));
        jobs = Math.addExact(jobs, sign * contribution.jobs);
        gdpUsdBn = gdpUsdBn.add(contribution.gdpUsdBn.multiply(factor));
    }
}
