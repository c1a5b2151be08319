package org.coalitiontracker.reporting.coalition;

import jakarta.inject.Singleton;

import org.coalitiontracker.reporting.ReportingSettings;
import org.coalitiontracker.reporting.intake.ReplayIntoEmptyView;

import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;

/** Reads {@code coalition-totals} again from its start when the scopes' views are empty. */
@Singleton
@Identifier("replay-into-empty-scope-views")
public class ReplayIntoEmptyScopeViews extends ReplayIntoEmptyView {

    ReplayIntoEmptyScopeViews(Pool pool, ReportingSettings settings) {
        super(pool, "scope_view", settings);
    }
}
