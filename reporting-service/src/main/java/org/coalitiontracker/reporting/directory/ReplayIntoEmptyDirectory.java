package org.coalitiontracker.reporting.directory;

import jakarta.inject.Singleton;

import org.coalitiontracker.reporting.ReportingSettings;
import org.coalitiontracker.reporting.intake.ReplayIntoEmptyView;

import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;

/** Reads {@code cluster-events} again from its start when the directory is empty. */
@Singleton
@Identifier("replay-into-empty-directory")
public class ReplayIntoEmptyDirectory extends ReplayIntoEmptyView {

    ReplayIntoEmptyDirectory(Pool pool, ReportingSettings settings) {
        super(pool, "cluster_entry", settings);
    }
}
