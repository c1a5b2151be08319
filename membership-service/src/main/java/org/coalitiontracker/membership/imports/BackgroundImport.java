package org.coalitiontracker.membership.imports;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An import running in the background, or ended: its progress as its transactions commit (V7). */
@Entity
public class BackgroundImport extends PanacheEntityBase {

    /**
     * Longer than any one transaction of an import takes: an import not heard of for this long stopped with the
     * replica that ran it.
     */
    static final Duration SILENCE = Duration.ofMinutes(5);

    @Id
    public UUID id;
    public int rows;
    public int done;
    public long joined;
    public long alreadyPresent;
    public long rejected;
    /** Why it stopped before its end, if it did. */
    public String failure;
    /** Each row's result, as JSON, once it ended. */
    public String results;
    public Instant startedAt;
    public Instant updatedAt;
    public Instant finishedAt;

    static BackgroundImport of(int rows) {
        BackgroundImport started = new BackgroundImport();
        started.id = UUID.randomUUID();
        started.rows = rows;
        started.startedAt = now();
        started.updatedAt = started.startedAt;
        return started;
    }

    /** RUNNING, FINISHED, FAILED (it says why), or INTERRUPTED (its replica stopped; what it joined stays joined). */
    String state() {
        if (finishedAt != null) {
            return failure == null ? "FINISHED" : "FAILED";
        }
        return updatedAt.isBefore(now().minus(SILENCE)) ? "INTERRUPTED" : "RUNNING";
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
