package org.coalitiontracker.reporting.directory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.coalitiontracker.reporting.ReportingSettings;
import org.coalitiontracker.reporting.intake.Intake;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * While the directory is read again from the start of {@code cluster-events}, the database's timeline waits, and is
 * computed from the whole directory once every partition has been read up to where it ended when its replay began
 * (V13): a statement at a time, it cost five times what writing the entries did. It is computed on two connections
 * side by side (V21, V23). The directory's search and filter indexes wait for the replay too (V17), and are built
 * right after the timeline, in transactions of their own (V18, V26), so that the views need not wait for them. Meanwhile
 * the totals as of a date, the history and the breakdowns by date count what the timeline held before the replay: none
 * of the directory's entries, for an emptied database.
 */
@ApplicationScoped
public class TimelineReplay {

    private static final Logger LOG = Logger.getLogger(TimelineReplay.class);

    private final Pool database;
    private final Intake intake;
    private final Duration databaseWait;
    /**
     * The partitions of this instance's replay, each with the offset it is read up to: an object per follow, so that
     * the end of a wait begun before (the batch of a consumer that has just lost the partition in a rebalance) never
     * takes away a wait begun since, which only its own end may remove.
     */
    private final Map<Integer, End> following = new ConcurrentHashMap<>();

    /** Where a partition's replay ends; compared by identity. */
    private static final class End {
        final long offset;

        End(long offset) {
            this.offset = offset;
        }
    }

    TimelineReplay(Pool database, Intake intake, ReportingSettings settings) {
        this.database = database;
        this.intake = intake;
        this.databaseWait = settings.retry().databaseWait();
    }

    /**
     * Records the ends of the assigned partitions that have records to read again, when they are read from the start
     * or while a replay begun before (by another consumer, or before a restart) goes on. On the polling thread, which
     * may block.
     */
    void follow(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, boolean fromTheStart) {
        if (!fromTheStart && !database.query("SELECT EXISTS (SELECT 1 FROM timeline_replay) AS waits").execute()
                .map(rows -> rows.iterator().next().getBoolean("waits")).await().atMost(databaseWait)) {
            // A restart may have come between the end of a replay and its indexes. Not awaited, as below.
            indexesBuilt().subscribe().with(built -> {
            }, failure -> LOG.errorf("The directory's indexes could not be built: %s", failure.toString()));
            return;
        }
        Map<TopicPartition, Long> unread = new HashMap<>();
        Map<TopicPartition, Long> read = new HashMap<>();
        consumer.endOffsets(partitions).forEach((partition, end) -> {
            long position = consumer.position(partition);
            (position < end ? unread : read).put(partition, position < end ? end : position);
        });
        if (!unread.isEmpty()) {
            unread.forEach((partition, end) -> database.preparedQuery("""
                    INSERT INTO timeline_replay (partition, until_offset) VALUES ($1, $2)
                    ON CONFLICT (partition) DO UPDATE SET until_offset = excluded.until_offset, reached = false""")
                    .execute(Tuple.of(partition.partition(), end)).await().atMost(databaseWait));
            if (fromTheStart) {
                // The directory's search and filter indexes wait for the replay too (V17); dropped once the replay is
                // recorded, so that no other consumer builds them again meanwhile.
                database.query("SELECT directory_indexes_wait()").execute().await().atMost(databaseWait);
            }
            unread.forEach((partition, end) -> following.put(partition.partition(), new End(end)));
            LOG.infof("The timeline waits for cluster-events to be read up to %s", unread);
        }
        // A partition with nothing to read (empty, or read to its end before a restart) may be the last one a replay
        // waits for. Not awaited: the end of a replay can take longer than the listener may.
        read.forEach((partition, position) -> reached(partition.partition(), position).subscribe().with(over -> {
        }, failure -> LOG.errorf("The timeline's wait for %s could not end: %s", partition, failure.toString())));
    }

    /** A partition read up to {@code next}: when it reaches its end, and every other has, the replay is over. */
    Uni<Void> read(int partition, long next) {
        End end = following.get(partition);
        return end == null || next < end.offset ? Uni.createFrom().voidItem()
                : reached(partition, next).invoke(() -> following.remove(partition, end));
    }

    /**
     * Tells the database that a partition has been read up to {@code next}; when that ends the replay, the timeline has
     * been computed, and the directory's indexes are built next.
     */
    Uni<Void> reached(int partition, long next) {
        long start = System.nanoTime();
        return intake.<Boolean> retried(() -> database.withTransaction(side -> database.withTransaction(
                connection -> connection.preparedQuery("SELECT timeline_replay_ends($1, $2) AS over")
                        .execute(Tuple.of(partition, next)).map(rows -> rows.iterator().next().getBoolean("over"))
                        .call(over -> Boolean.TRUE.equals(over) ? timelineComputed(connection, side)
                                : Uni.createFrom().voidItem()))),
                failure -> LOG.warnf("Ending the timeline's wait for partition %d failed, retrying: %s", partition,
                        failure.toString()))
                .invoke(over -> {
                    if (Boolean.TRUE.equals(over)) {
                        LOG.infof("cluster-events has been read again; the timeline was computed from the whole "
                                + "directory in %d ms", (System.nanoTime() - start) / 1_000_000);
                    }
                }).chain(over -> Boolean.TRUE.equals(over) ? indexesBuilt() : Uni.createFrom().voidItem());
    }

    /**
     * Computes the timeline in the transaction that ended the replay: the months and days of every scope but the
     * sectors there; meanwhile on the side connection the spans, then the sectors' months and days (V23), which the
     * transaction then writes. The side connection began its transaction before the replay's lock was taken, so that it
     * holds a server connection even where PgBouncer hands them out by transaction, and the statements that wait for
     * the lock cannot take them all.
     */
    private static Uni<Void> timelineComputed(SqlConnection connection, SqlConnection side) {
        return Uni.combine().all()
                .unis(connection.query("SELECT timeline_periods_rebuild()").execute(), side.query("""
                        SELECT array_agg(kind), array_agg(name), array_agg(country), array_agg(from_day),
                            array_agg(until_day)
                        FROM timeline_spans()""").execute(), side.query("""
                        SELECT array_agg(kind), array_agg(name), array_agg(period), array_agg(starts),
                            array_agg(clusters), array_agg(emissions_reduction_mt_per_year::text), array_agg(jobs),
                            array_agg(gdp_usd_bn::text)
                        FROM timeline_periods(true)""").execute())
                .asTuple()
                .chain(done -> connection.preparedQuery("SELECT timeline_spans_replace($1, $2, $3, $4, $5)")
                        .execute(columns(done.getItem2()))
                        .chain(() -> connection.preparedQuery(
                                "SELECT timeline_periods_add($1, $2, $3, $4, $5, $6, $7, $8)")
                                .execute(columns(done.getItem3()))))
                .replaceWithVoid();
    }

    /**
     * The columns the side connection read, an array each in its one row, as the parameters of the statement that
     * writes them: a row of arrays rather than a row per span or period, which the service would hold for a moment.
     */
    private static Tuple columns(RowSet<Row> aggregated) {
        Row row = aggregated.iterator().next();
        List<Object> columns = new ArrayList<>(row.size());
        for (int column = 0; column < row.size(); column++) {
            columns.add(row.getValue(column));
        }
        return Tuple.tuple(columns);
    }

    /**
     * Builds the directory's search index and its filter indexes that are missing, unless a replay waits for them (V18),
     * on two connections side by side (V26): the search index alone takes as long as the four others.
     */
    private Uni<Void> indexesBuilt() {
        return Uni.combine().all().unis(indexesBuilt(true, "search index was"), indexesBuilt(false, "filter indexes were"))
                .discardItems();
    }

    private Uni<Boolean> indexesBuilt(boolean search, String which) {
        long start = System.nanoTime();
        return intake.<Boolean> retried(() -> database.preparedQuery("SELECT directory_indexes_build($1) AS built")
                .execute(Tuple.of(search)).map(rows -> rows.iterator().next().getBoolean("built")),
                failure -> LOG.warnf("Building the directory's indexes failed, retrying: %s", failure.toString()))
                .invoke(built -> {
                    if (Boolean.TRUE.equals(built)) {
                        LOG.infof("The directory's %s built in %d ms", which, (System.nanoTime() - start) / 1_000_000);
                    }
                });
    }
}
