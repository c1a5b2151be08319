package org.coalitiontracker.reporting.directory;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;

import org.coalitiontracker.contracts.Rfc3339;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One version of a cluster: what its event (a join, a revision of its figures, a withdrawal) said, and when. */
@Entity
@IdClass(ClusterVersion.Key.class)
public class ClusterVersion extends PanacheEntityBase {

    @Id
    public UUID clusterId;
    @Id
    public int version;
    @Schema(description = "What changed: JOINED, FIGURES_REVISED or WITHDRAWN")
    public String change;
    public String eventId;
    @Schema(description = "When the change happened, as its event says (ce_time); null when the event did not say")
    public Instant happenedAt;
    public LocalDate joinedOn;
    public LocalDate withdrawnOn;
    public BigDecimal emissionsReductionMtPerYear;
    public long jobs;
    public BigDecimal gdpUsdBn;
    public String figuresBasis;

    /** The event's time, if it is one PostgreSQL can store: a hostile ce_time must not keep the version out. */
    static Instant instant(String time) {
        Instant instant = Rfc3339.instant(time);
        return instant != null && instant.isAfter(EARLIEST) && instant.isBefore(LATEST) ? instant : null;
    }

    /** A version's key: its cluster and its number (V22). */
    public static class Key implements Serializable {
        public UUID clusterId;
        public int version;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(key.clusterId, clusterId) && key.version == version;
        }

        @Override
        public int hashCode() {
            return Objects.hash(clusterId, version);
        }
    }

    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");
}
