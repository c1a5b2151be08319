package org.coalitiontracker.problems;

import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

/**
 * Whether a request failed because the database is away for now (restarting, failing over, out of connections): the
 * caller is told 503 with Retry-After, so that it knows a retry is safe, rather than 500.
 */
final class DatabaseAway {

    private DatabaseAway() {
    }

    /** Looks through the failure's causes and those suppressed with them (a rollback that failed too, say). */
    static boolean causedBy(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> toSee = new ArrayDeque<>();
        toSee.add(failure);
        while (!toSee.isEmpty()) {
            Throwable cause = toSee.poll();
            if (!seen.add(cause)) {
                continue;
            }
            if (isAway(cause)) {
                return true;
            }
            if (cause.getCause() != null) {
                toSee.add(cause.getCause());
            }
            toSee.addAll(List.of(cause.getSuppressed()));
        }
        return false;
    }

    private static boolean isAway(Throwable cause) {
        if (cause instanceof SocketException || cause instanceof ClosedChannelException
                || cause instanceof ClosedConnectionException
                || cause instanceof SQLTransientConnectionException || cause instanceof NoStackTraceTimeoutException) {
            return true;
        }
        // What the reactive client says of a connection that the server closed under it.
        if (cause instanceof NoStackTraceThrowable && cause.getMessage() != null
                && cause.getMessage().startsWith("Connection is not active")) {
            return true;
        }
        String sqlState = cause instanceof DatabaseException database ? database.getSqlState()
                : cause instanceof SQLException sql ? sql.getSQLState() : null;
        // Connection exceptions, the server shutting down or not yet accepting, too many connections, and a write on a
        // server that is a standby for now (read_only_sql_transaction: a connection made during a switchover or a
        // failover, before the new primary took the address; the pools replace it, see application.properties).
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.equals("53300")
                || sqlState.equals("25006"));
    }
}
