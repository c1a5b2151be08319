package org.coalitiontracker.joinpeer;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A cluster as the peer stores it: the columns of membership-service's roster, in a table Hibernate creates. */
@Entity
public class Cluster extends PanacheEntityBase {

    @Id
    public UUID id;
    public String name;
    public String country;
    public LocalDate joinedOn;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] sectors;
    public Boolean portAnchored;
    public BigDecimal emissionsReductionMtPerYear;
    public long jobs;
    public BigDecimal gdpUsdBn;
    public String figuresBasis;
    public int version;
    public Instant recordedAt;
}
