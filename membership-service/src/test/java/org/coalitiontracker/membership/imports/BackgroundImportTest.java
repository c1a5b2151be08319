package org.coalitiontracker.membership.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** What GET /clusters/import/{id} says of an import from its record alone: no database, no Quarkus. */
class BackgroundImportTest {

    @Test
    void anImportRunsUntilItEndsOrIsNotHeardOfForLongerThanAnyTransactionTakes() {
        BackgroundImport running = BackgroundImport.of(10);
        assertThat(running.state()).isEqualTo("RUNNING");

        running.updatedAt = BackgroundImport.now().minus(BackgroundImport.SILENCE).plus(Duration.ofSeconds(5));
        assertThat(running.state()).isEqualTo("RUNNING");
        running.updatedAt = BackgroundImport.now().minus(BackgroundImport.SILENCE).minus(Duration.ofSeconds(1));
        assertThat(running.state()).as("its replica stopped").isEqualTo("INTERRUPTED");

        running.finishedAt = BackgroundImport.now();
        assertThat(running.state()).isEqualTo("FINISHED");
        running.failure = "the database refused it";
        assertThat(running.state()).isEqualTo("FAILED");
    }
}
