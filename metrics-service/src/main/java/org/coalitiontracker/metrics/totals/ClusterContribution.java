package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** What one cluster adds to the totals, as of the newest event applied for it. */
@Entity
public class ClusterContribution extends PanacheEntityBase {

    @Id
    public UUID clusterId;
    public int version;
    public String country;
    public BigDecimal emissionsReductionMtPerYear;
    public long jobs;
    public BigDecimal gdpUsdBn;
    public String lastEventId;
}
