package org.coalitiontracker.membership.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.coalitiontracker.localinfra.PostgresDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V8 refolds the keys that members stored before the duplicate check spelled out ł, ø, ß, æ and the like: on a roster
 * of the old schema, with the keys the old check made, each key becomes what the check makes now, unless two members
 * would then share one.
 */
class NameKeyMigrationTest {

    private static final PostgresDatabase DATABASE = PostgresDatabase.named("membership_migration_test");

    @Test
    void storedKeysAreFoldedAsTheCheckNowFoldsThemAndNoMemberIsLost() throws SQLException {
        DATABASE.recreate();
        migrate("7");
        Instant first = Instant.parse("2025-01-22T10:00:00Z");
        try (Connection connection = connect()) {
            // The keys as the check made them before: folded to lower case, these letters left as they were.
            insert(connection, "Łódź Steel Basin", "łodz steel basin", "PL", first);
            insert(connection, "Lodz Port", "lodz port", "PL", first);
            insert(connection, "Łodz Port", "łodz port", "PL", first.plusSeconds(1));
            insert(connection, "Ærø Hub", "ærø hub", "DK", first.plusSeconds(1));
            insert(connection, "Aerø Hub", "aerø hub", "DK", first);
            insert(connection, "Straße Hub", "straße hub", "DE", first);
            insert(connection, "ß".repeat(150), "ß".repeat(150), "DE", first);
            insert(connection, "Porto do Açu", "porto do acu", "BR", first);
        }

        migrate(null);

        Map<String, String> keys = keysByName();
        assertThat(keys).containsEntry("Łódź Steel Basin", "lodz steel basin")
                .containsEntry("Straße Hub", "strasse hub")
                .containsEntry("Porto do Açu", "porto do acu")
                .as("a member whose new key another member has already keeps its old one")
                .containsEntry("Lodz Port", "lodz port").containsEntry("Łodz Port", "łodz port")
                .as("of two that fold to one key, the first recorded takes it")
                .containsEntry("Aerø Hub", "aero hub").containsEntry("Ærø Hub", "ærø hub")
                .as("a key that would outgrow its column stays as it was")
                .containsEntry("ß".repeat(150), "ß".repeat(150));
        for (String refolded : new String[] { "Łódź Steel Basin", "Straße Hub", "Porto do Açu", "Lodz Port",
                "Aerø Hub" }) {
            assertThat(keys.get(refolded)).as(refolded).isEqualTo(Cluster.nameKey(refolded));
        }
    }

    private static void migrate(String target) {
        var configuration = Flyway.configure().dataSource(DATABASE.jdbcUrl(), DATABASE.user(), DATABASE.password())
                .locations("classpath:db/migration");
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(DATABASE.jdbcUrl(), DATABASE.user(), DATABASE.password());
    }

    private static void insert(Connection connection, String name, String key, String country, Instant recordedAt)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO cluster (id, name, name_key, country, joined_on, sectors, emissions_reduction_mt_per_year,
                        jobs, gdp_usd_bn, version, recorded_at)
                VALUES (?, ?, ?, ?, DATE '2025-01-22', '{STEEL}', 1, 1, 1, 1, ?)""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, name);
            insert.setString(3, key);
            insert.setString(4, country);
            insert.setTimestamp(5, Timestamp.from(recordedAt));
            insert.executeUpdate();
        }
    }

    private static Map<String, String> keysByName() throws SQLException {
        Map<String, String> keys = new HashMap<>();
        try (Connection connection = connect();
                Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT name, name_key FROM cluster")) {
            while (rows.next()) {
                keys.put(rows.getString(1), rows.getString(2));
            }
        }
        return keys;
    }
}
