package org.coalitiontracker.reporting.directory;

import java.util.Collection;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.coalitiontracker.reporting.ReportingSettings;
import org.coalitiontracker.reporting.intake.ReplayIntoEmptyView;

import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;

/** Reads {@code cluster-events} again from its start when the directory is empty; the timeline waits for it. */
@Singleton
@Identifier("replay-into-empty-directory")
public class ReplayIntoEmptyDirectory extends ReplayIntoEmptyView {

    private final TimelineReplay timeline;

    ReplayIntoEmptyDirectory(Pool pool, ReportingSettings settings, TimelineReplay timeline) {
        super(pool, "cluster_entry", settings);
        this.timeline = timeline;
    }

    @Override
    protected void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, boolean fromTheStart) {
        timeline.follow(consumer, partitions, fromTheStart);
    }
}
