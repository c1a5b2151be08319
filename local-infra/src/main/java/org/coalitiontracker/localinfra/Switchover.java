package org.coalitiontracker.localinfra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A primary switchover as a service sees it, played on a test's database. From {@link #start} the service's
 * connections are dropped and its new ones start read-only, as on a standby. From {@link #end} new connections are
 * writable again, as on the new primary, while those made meanwhile stay read-only, as on a standby that stays one.
 * The test's own connection, made before, stays writable throughout. {@link #close} waits until the service's pool has
 * replaced those it made on the standby, so that no later test of the same service reaches the standby.
 */
public final class Switchover implements AutoCloseable {

    private static final Duration STANDBY_CONNECTIONS_CLOSED_WITHIN = Duration.ofSeconds(30);

    private final Connection connection;
    private final Statement statement;
    private final String database;
    /** When the primary was back, in microseconds since the epoch on the database's clock; 0 until then. */
    private long endedMicros;

    private Switchover(Connection connection) throws SQLException {
        this.connection = connection;
        this.statement = connection.createStatement();
        try (ResultSet name = statement.executeQuery("SELECT current_database()")) {
            name.next();
            this.database = '"' + name.getString(1) + '"';
        }
    }

    /** Starts one on the database of the running test's service (its quarkus.datasource settings). */
    public static Switchover start() throws SQLException {
        Config config = ConfigProvider.getConfig();
        Switchover switchover = new Switchover(DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse("")));
        switchover.statement.execute("ALTER DATABASE " + switchover.database + " SET default_transaction_read_only = on");
        switchover.statement.execute("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()""");
        return switchover;
    }

    /** The one number a query of the database answers, through the test's own connection. */
    public long number(String query) throws SQLException {
        try (ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The primary is back: new connections are writable. */
    public void end() throws SQLException {
        statement.execute("ALTER DATABASE " + database + " RESET default_transaction_read_only");
        endedMicros = number("SELECT (extract(epoch FROM clock_timestamp()) * 1e6)::bigint");
    }

    /**
     * Ends the switchover if the test did not, then waits until the service's reactive pool, where it writes, has closed
     * every connection made on the standby (its max-lifetime, a few seconds in the test profiles). Its JDBC pool is left
     * as it is: only membership-service writes through it, and that pool has a max-lifetime too.
     */
    @Override
    public void close() throws SQLException {
        try {
            if (endedMicros == 0) {
                end();
            }
            awaitStandbyConnectionsClosed();
        } finally {
            connection.close();
        }
    }

    private void awaitStandbyConnectionsClosed() throws SQLException {
        String onStandby = """
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                AND pid <> pg_backend_pid() AND application_name <> 'PostgreSQL JDBC Driver'
                AND backend_start < to_timestamp(%d / 1e6)""".formatted(endedMicros);
        long deadline = System.nanoTime() + STANDBY_CONNECTIONS_CLOSED_WITHIN.toNanos();
        long left;
        while ((left = number(onStandby)) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(left + " connections made on the standby were still open "
                        + STANDBY_CONNECTIONS_CLOSED_WITHIN + " after the primary was back");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the standby's connections to close", e);
            }
        }
    }
}
