package org.coalitiontracker.reporting.directory;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import org.coalitiontracker.contracts.ClusterEvent;
import org.coalitiontracker.contracts.ClusterFiguresRevised;
import org.coalitiontracker.contracts.ClusterJoined;
import org.coalitiontracker.contracts.ClusterWithdrawn;
import org.coalitiontracker.contracts.Figures;
import org.hibernate.annotations.Generated;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A cluster in the directory, as of the newest event applied for it. */
@Entity
public class ClusterEntry extends PanacheEntityBase {

    @Id
    public UUID clusterId;
    public int version;
    /** Null until its ClusterJoined has been read (a later event arrived first). */
    public String name;
    public String country;
    public String region;
    public String[] sectors;
    public Boolean portAnchored;
    public LocalDate joinedOn;
    public LocalDate withdrawnOn;
    public BigDecimal emissionsReductionMtPerYear;
    public long jobs;
    public BigDecimal gdpUsdBn;
    public String figuresBasis;
    public String lastEventId;
    /** The name without case or accents, which {@code q} searches; the database computes it (V4). */
    @Generated
    @Column(insertable = false, updatable = false)
    public String nameKey;
    /** Breaks ties between clusters that joined on the same day: the order they were first read in. */
    @Generated
    @Column(insertable = false, updatable = false)
    public Long joinedSeq;

    /** Takes what the event says: where the cluster counts and its figures now, and what only some events carry. */
    void apply(ClusterEvent event, String eventId) {
        clusterId = event.clusterId();
        version = event.version();
        country = event.country();
        region = event.region();
        joinedOn = event.joinedOn();
        sectors = event.sectors().toArray(String[]::new);
        Figures figures = event.figures();
        emissionsReductionMtPerYear = figures.emissionsReductionMtPerYear();
        jobs = figures.jobs();
        gdpUsdBn = figures.gdpUsdBn();
        lastEventId = eventId;
        if (event instanceof ClusterJoined joined) {
            name = joined.name();
            portAnchored = joined.portAnchored();
            figuresBasis = joined.figuresBasis();
        } else if (event instanceof ClusterFiguresRevised revised) {
            figuresBasis = revised.figuresBasis();
        } else if (event instanceof ClusterWithdrawn withdrawn) {
            withdrawnOn = withdrawn.withdrawnOn();
        }
    }
}
