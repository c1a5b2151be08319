package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** What one cluster adds to the totals, as of the newest event applied for it (its version). */
@Entity
public class ClusterContribution extends PanacheEntityBase {

    @Id
    public UUID clusterId;
    public int version;
    /** False once the cluster has withdrawn: it then adds nothing. */
    public boolean active;
    public String country;
    public BigDecimal emissionsReductionMtPerYear;
    public long jobs;
    public BigDecimal gdpUsdBn;
    public String lastEventId;

    static ClusterContribution none(UUID clusterId) {
        ClusterContribution contribution = new ClusterContribution();
        contribution.clusterId = clusterId;
        contribution.emissionsReductionMtPerYear = BigDecimal.ZERO;
        contribution.gdpUsdBn = BigDecimal.ZERO;
        return contribution;
    }

    void become(ClusterEvent.ClusterState state, int newVersion, String eventId) {
        version = newVersion;
        active = state.active();
        country = state.country();
        emissionsReductionMtPerYear = state.emissionsReductionMtPerYear();
        jobs = state.jobs();
        gdpUsdBn = state.gdpUsdBn();
        lastEventId = eventId;
    }
}
