package org.coalitiontracker.localinfra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A primary switchover as a service sees it, played on a test's database. From {@link #start} the service's
 * connections are dropped and its new ones start read-only, as on a standby. From {@link #end} new connections are
 * writable again, as on the new primary, while those made meanwhile stay read-only, as on a standby that stays one.
 * The test's own connection, made before, stays writable throughout.
 */
public final class Switchover implements AutoCloseable {

    private final Connection connection;
    private final Statement statement;
    private final String database;
    private boolean ended;

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
        ended = true;
    }

    /** Ends the switchover if the test did not, so that no later test finds the database read-only. */
    @Override
    public void close() throws SQLException {
        try {
            if (!ended) {
                end();
            }
        } finally {
            connection.close();
        }
    }
}
