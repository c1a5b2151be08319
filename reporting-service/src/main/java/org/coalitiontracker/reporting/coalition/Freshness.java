package org.coalitiontracker.reporting.coalition;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.coalitiontracker.contracts.ReconciliationChecked;
import org.coalitiontracker.contracts.TotalsChanged;
import org.coalitiontracker.reporting.ReportingSettings;
import org.coalitiontracker.reporting.intake.Intake;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * How fresh the coalition totals are. The directory reads {@code cluster-events} itself, by the same rule as
 * metrics-service: when the totals differ from what the directory's members add up to (read from its timeline, and
 * not compared while the directory is read again from the start), and have not moved for longer than
 * {@code REPORTING_STALE_THRESHOLD}, metrics-service has stalled and the totals are stale. (While they
 * move, they are catching up: an import of thousands of clusters keeps them a moment behind the directory.) So is a
 * difference from the roster that lasts while they do not move (metrics-service's reconciliation), and a timeline
 * that has waited for the directory's replay for longer than {@code REPORTING_TIMELINE_WAIT_LIMIT}, far longer than a
 * replay takes: the history and the breakdowns as of a date would otherwise stop moving unseen. And so is a write of
 * the views that has been under way for longer than {@code REPORTING_STALE_THRESHOLD}, retried (the database away or
 * read-only) or on its first try (waiting for a lock): the directory and the breakdowns are behind (the totals are not
 * compared with the directory meanwhile, as its difference would blame metrics-service).
 * Checked every {@code REPORTING_FRESHNESS_INTERVAL}; shown in every totals response, on the stream's heartbeat
 * ({@link Heartbeats}, told of each report that says something new: after a check, or as soon as the coalition's totals
 * move), on the gauge {@code coalition_totals_stale} and the wellness check {@link FreshnessCheck}.
 */
@ApplicationScoped
public class Freshness {

    /** What a totals response says of its freshness; {@code reconciliation} is null until one is read. */
    public record Report(Instant lastEventAt, boolean stale, List<String> reasons, Instant checkedAt,
            ReconciliationChecked reconciliation) {

        /** What changes when what the report says changes (not when it was merely checked again), for ETags. */
        String tag() {
            return (stale ? "stale" : "fresh") + (reconciliation == null ? ""
                    : "-" + reconciliation.status() + "-" + reconciliation.differentSince()
                            + "-" + reconciliation.deadLetteredRecords());
        }
    }

    /**
     * What the last check found, of the totals of that version, and which of its reasons still hold once they have
     * moved: totals that move are catching up, not stalled, so the reasons that hold only while they stand still go at
     * once, not at the next check.
     */
    private record Check(Instant at, long version, List<String> reasons, List<String> onceMoved) {

        List<String> reasonsFor(long totalsVersion) {
            return totalsVersion == version ? reasons : onceMoved;
        }
    }

    /** Times in reasons, to the second, in UTC: the dashboard shows them to people. */
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Event<Report> changes;
    private final LiveTotals live;
    private final Timeline timeline;
    private final ReconciliationState reconciliation;
    private final Intake intake;
    private final Duration threshold;
    private final Duration timelineWaitLimit;
    private final Duration interval;
    private volatile Check last = new Check(null, 0, List.of(), List.of());
    private volatile Instant differentSince;
    private volatile long versionSeen = -1;
    private volatile Instant totalsMovedAt = Instant.now();
    /** The reasons of the last report the stream's clients were told of. */
    private List<String> told = List.of();

    Freshness(LiveTotals live, Timeline timeline, ReconciliationState reconciliation, Intake intake,
            ReportingSettings settings, MeterRegistry registry, Event<Report> changes) {
        this.live = live;
        this.intake = intake;
        this.timeline = timeline;
        this.changes = changes;
        this.reconciliation = reconciliation;
        this.threshold = settings.freshness().staleThreshold();
        this.timelineWaitLimit = settings.freshness().timelineWaitLimit();
        this.interval = settings.freshness().interval();
        Gauge.builder("coalition.totals.stale", this, freshness -> freshness.current().stale() ? 1 : 0)
                .description("1 while the coalition totals are stale: they differ from the directory or the roster "
                        + "and have not moved for longer than the threshold, or a write of the views has waited longer")
                .register(registry);
        // Totals that move drop the reasons that hold only while they stand still: the stream's clients learn it
        // with the move, not at the next check.
        live.changed().subscribe().with(version -> tell());
    }

    /** The freshness of the given coalition totals, as of the last check. */
    public Report of(TotalsChanged totals) {
        Check check = last;
        List<String> reasons = check.reasonsFor(version(totals));
        return new Report(totals == null ? null : totals.causedByEventAt(), !reasons.isEmpty(), reasons, check.at(),
                reconciliation.newest());
    }

    /** The freshness of the newest coalition totals this replica has read. */
    public Report current() {
        return of(live.newest(LiveTotals.COALITION));
    }

    @Scheduled(every = "${reporting.freshness.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> check() {
        // A directory that cannot be read (the database away, a lock held longer than a check's interval) is not
        // compared; a write that waits for it still shows.
        return timeline.members(interval).onFailure().recoverWithItem(new Timeline.Members(null, null)).invoke(this::compare)
                .replaceWithVoid();
    }

    /** Against what the directory's members add up to, unless its timeline waits for a replay. */
    private void compare(Timeline.Members members) {
        Timeline.Totals directory = members.totals();
        Instant now = Instant.now();
        TotalsChanged totals = live.newest(LiveTotals.COALITION);
        long version = version(totals);
        if (version != versionSeen) {
            versionSeen = version;
            totalsMovedAt = now;
        }
        boolean still = Duration.between(totalsMovedAt, now).compareTo(threshold) > 0;
        List<String> reasons = new ArrayList<>();
        List<String> whileStill = new ArrayList<>();
        Intake.Write write = intake.oldestWrite();
        boolean writeWaits = write != null && write.age().compareTo(threshold) > 0;
        if (writeWaits) {
            reasons.add((write.retried()
                    ? "A write of the views has failed and been retried since " + TIME_OF_DAY.format(write.began())
                            + " (the database may be away or read-only, or the broker away; the service's log says why)"
                    : "A write of the views has been under way since " + TIME_OF_DAY.format(write.began())
                            + " without an answer (it may wait for a lock, or be a long one)")
                    + ": the directory, the history and the breakdowns are behind.");
        }
        if (directory != null && !writeWaits && !equal(totals, directory)) {
            differentSince = differentSince != null ? differentSince : now;
            if (still && Duration.between(differentSince, now).compareTo(threshold) > 0) {
                String reason = "The totals (" + (totals == null ? 0 : totals.clusters()) + " clusters) have not "
                        + "taken in what the directory holds (" + directory.clusters() + " clusters) since "
                        + TIME_OF_DAY.format(differentSince) + ": metrics-service may be stalled.";
                whileStill.add(reason);
                reasons.add(reason);
            }
        } else {
            differentSince = null;
        }
        if (members.waitingSince() != null
                && Duration.between(members.waitingSince(), now).compareTo(timelineWaitLimit) > 0) {
            reasons.add("The history and the totals as of a date have waited since "
                    + TIME_OF_DAY.format(members.waitingSince()) + " for cluster-events to be read again: the "
                    + "directory's replay may be stalled.");
        }
        ReconciliationChecked checked = reconciliation.newest();
        if (still && checked != null && "DIFFERENT".equals(checked.status()) && checked.differentSince() != null
                && Duration.between(checked.differentSince(), now).compareTo(threshold) > 0) {
            String reason = "The totals have differed from the roster since "
                    + TIME_OF_DAY.format(checked.differentSince()) + ".";
            whileStill.add(reason);
            reasons.add(reason);
        }
        last = new Check(now, version, List.copyOf(reasons),
                reasons.stream().filter(reason -> !whileStill.contains(reason)).toList());
        tell();
    }

    /** Tells the stream's clients of the current report if it says something new. */
    private synchronized void tell() {
        Report report = current();
        if (!report.reasons().equals(told)) {
            told = report.reasons();
            changes.fire(report);
        }
    }

    private static long version(TotalsChanged totals) {
        return totals == null ? 0 : totals.version();
    }

    private static boolean equal(TotalsChanged totals, Timeline.Totals directory) {
        if (totals == null) {
            return directory.clusters() == 0;
        }
        return totals.clusters() == directory.clusters() && totals.countries() == directory.countries()
                && totals.jobs() == directory.jobs()
                && same(totals.emissionsReductionMtPerYear(), directory.emissionsReductionMtPerYear())
                && same(totals.gdpUsdBn(), directory.gdpUsdBn());
    }

    private static boolean same(BigDecimal a, BigDecimal b) {
        return a.compareTo(b) == 0;
    }
}
