package org.coalitiontracker.reporting.directory;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

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
}
