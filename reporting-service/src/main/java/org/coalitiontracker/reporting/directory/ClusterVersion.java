package org.coalitiontracker.reporting.directory;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

import org.coalitiontracker.contracts.ClusterEvent;
import org.coalitiontracker.contracts.ClusterFiguresRevised;
import org.coalitiontracker.contracts.ClusterJoined;
import org.coalitiontracker.contracts.ClusterWithdrawn;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** One version of a cluster: what its event (a join, a revision of its figures, a withdrawal) said, and when. */
@Entity
public class ClusterVersion extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @JsonIgnore
    public Long id;
    public UUID clusterId;
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

    /** Records the event's version of its cluster, once: a redelivered event finds it recorded. */
    static Uni<Void> record(ClusterEvent event, String eventId, String eventTime) {
        return count("clusterId = ?1 and version = ?2", event.clusterId(), event.version()).chain(recorded -> {
            if (recorded > 0) {
                return Uni.createFrom().voidItem();
            }
            ClusterVersion version = new ClusterVersion();
            version.clusterId = event.clusterId();
            version.version = event.version();
            version.eventId = eventId;
            version.happenedAt = instant(eventTime);
            version.joinedOn = event.joinedOn();
            version.emissionsReductionMtPerYear = event.figures().emissionsReductionMtPerYear();
            version.jobs = event.figures().jobs();
            version.gdpUsdBn = event.figures().gdpUsdBn();
            if (event instanceof ClusterJoined joined) {
                version.change = "JOINED";
                version.figuresBasis = joined.figuresBasis();
            } else if (event instanceof ClusterFiguresRevised revised) {
                version.change = "FIGURES_REVISED";
                version.figuresBasis = revised.figuresBasis();
            } else if (event instanceof ClusterWithdrawn withdrawn) {
                version.change = "WITHDRAWN";
                version.withdrawnOn = withdrawn.withdrawnOn();
            }
            return version.persist().replaceWithVoid();
        });
    }

    /** The event's time, if it is one PostgreSQL can store: a hostile ce_time must not keep the version out. */
    private static Instant instant(String time) {
        try {
            Instant instant = time == null ? null : Instant.parse(time);
            return instant != null && instant.isAfter(EARLIEST) && instant.isBefore(LATEST) ? instant : null;
        } catch (DateTimeParseException notATime) {
            return null;
        }
    }

    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");
}
