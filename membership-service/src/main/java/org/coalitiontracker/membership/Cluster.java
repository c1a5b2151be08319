package org.coalitiontracker.membership;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A member of the coalition: one industrial cluster, as it joined. The table is owned by Flyway (V1__roster.sql). */
@Entity
public class Cluster extends PanacheEntityBase {

    @Id
    public UUID id;
    public String name;
    /** ISO 3166-1 alpha-2. */
    public String country;
    public LocalDate joinedOn;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] sectors;
    /** Null when the sources do not say. */
    public Boolean portAnchored;
    public BigDecimal emissionsReductionMtPerYear;
    public long jobs;
    public BigDecimal gdpUsdBn;
    /** Starts at 1 and travels with every event about this cluster. */
    public int version;
    public Instant recordedAt;
}
