package org.coalitiontracker.localinfra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A database of its own on the machine's PostgreSQL server, created fresh for a test run.
 * Host, port and user come from POSTGRES_HOST, POSTGRES_PORT and POSTGRES_USER (default 127.0.0.1:5432, postgres,
 * trust authentication as on the development machines); POSTGRES_PASSWORD is used if set.
 */
public record PostgresDatabase(String host, int port, String user, String password, String name) {

    public static PostgresDatabase named(String name) {
        return new PostgresDatabase(env("POSTGRES_HOST", "127.0.0.1"), Integer.parseInt(env("POSTGRES_PORT", "5432")),
                env("POSTGRES_USER", "postgres"), env("POSTGRES_PASSWORD", ""), name);
    }

    /**
     * The deployment's databases sort text byte by byte (C) but know which characters are letters and their cases in
     * every script (C.UTF-8): the directory's trigrams see words in any script. Every database here is created so,
     * whatever this server's default (deploy/kubernetes/base/postgres/clusters.yaml states the same).
     */
    public static final String COLLATE = "C";
    public static final String CTYPE = "C.UTF-8";

    /** Drops the database if a previous run left it, and creates it empty, in {@link #COLLATE} and {@link #CTYPE}. */
    public PostgresDatabase recreate() {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain database name: " + name);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE '" + COLLATE
                    + "' LC_CTYPE '" + CTYPE + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare database " + name + " on " + host + ":" + port
                    + " (is PostgreSQL running?)", e);
        }
        return this;
    }

    public String jdbcUrl() {
        return jdbcUrl(name);
    }

    /** The settings a Quarkus service with both a reactive (Hibernate Reactive) and a JDBC (Flyway) pool reads. */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + host + ":" + port + "/" + name,
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
