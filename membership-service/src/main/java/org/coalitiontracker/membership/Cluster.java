package org.coalitiontracker.membership;

import java.math.BigDecimal;
import java.time.Instant;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.Locale;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A member of the coalition: one industrial cluster, as it joined. The table is owned by Flyway (V1__roster.sql). */
@Entity
public class Cluster extends PanacheEntityBase {

    @Id
    public UUID id;
    public String name;
    /** The name folded for comparison: two clusters with the same key and country are the same cluster. */
    public String nameKey;
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
    /** Where the figures come from, e.g. "apportioned"; null when not stated. */
    public String figuresBasis;
    /** The day the cluster left the coalition; null while it is a member. */
    public LocalDate withdrawnOn;
    public String withdrawalReason;
    /** Starts at 1, grows by one with every change, and travels with every event about this cluster. */
    public int version;
    public Instant recordedAt;

    /** Case- and accent-insensitive: "Porto do Açu" and "PORTO DO ACU" fold to the same key. */
    static String nameKey(String name) {
        String decomposed = Normalizer.normalize(name.strip(), Normalizer.Form.NFKD);
        return decomposed.replaceAll("\\p{M}+", "").replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    static Uni<Cluster> findSame(String name, String country) {
        return find("nameKey = ?1 and country = ?2", nameKey(name), country).firstResult();
    }
}
