package org.coalitiontracker.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.vertx.sqlclient.DatabaseException;

class RecordFailuresTest {

    @Test
    void dataErrorsIntegrityViolationsAndOverflowsAreForGood() {
        assertThat(RecordFailures.isPermanent(refused("date out of range", "22008"))).isTrue();
        assertThat(RecordFailures.isPermanent(refused("numeric field overflow", "22003"))).isTrue();
        assertThat(RecordFailures.isPermanent(refused("check violation", "23514"))).isTrue();
        assertThat(RecordFailures.isPermanent(new CompletionException(new ArithmeticException("long overflow"))))
                .isTrue();
    }

    @Test
    void whatARetryCanCureIsNot() {
        assertThat(RecordFailures.isPermanent(refused("unique violation", "23505"))).isFalse();
        assertThat(RecordFailures.isPermanent(refused("could not serialize access", "40001"))).isFalse();
        assertThat(RecordFailures.isPermanent(refused("deadlock detected", "40P01"))).isFalse();
        assertThat(RecordFailures.isPermanent(refused("terminating connection", "57P01"))).isFalse();
        assertThat(RecordFailures.isPermanent(refused("cannot execute INSERT in a read-only transaction", "25006")))
                .isFalse();
        assertThat(RecordFailures.isPermanent(refused("relation does not exist", "42P01"))).isFalse();
        assertThat(RecordFailures.isPermanent(new IllegalStateException("Connection is closed"))).isFalse();
    }

    @Test
    void theDatabasesWordCountsWhereverItIsInTheChain() {
        Throwable wrapped = new RuntimeException("wrapped", refused("value out of range", "22003"));
        assertThat(RecordFailures.isPermanent(wrapped)).isTrue();
        assertThat(RecordFailures.databaseReason(wrapped)).isEqualTo("value out of range");
    }

    @Test
    void aFailureNotTheDatabasesIsItsOwnReason() {
        assertThat(RecordFailures.databaseReason(new IllegalStateException("Connection is closed")))
                .isEqualTo("java.lang.IllegalStateException: Connection is closed");
    }

    /** A refusal as the reactive PostgreSQL client reports one. */
    private static DatabaseException refused(String message, String sqlState) {
        return new DatabaseException(message, 0, sqlState, null) {
        };
    }
}
