package org.coalitiontracker.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

class RecordFailuresTest {

    @Test
    void dataErrorsIntegrityViolationsAndOverflowsAreForGood() {
        assertThat(permanent(new SQLException("date out of range", "22008"))).isTrue();
        assertThat(permanent(new SQLException("numeric field overflow", "22003"))).isTrue();
        assertThat(permanent(new SQLException("check violation", "23514"))).isTrue();
        assertThat(permanent(new CompletionException(new ArithmeticException("long overflow")))).isTrue();
    }

    @Test
    void whatARetryCanCureIsNot() {
        assertThat(permanent(new SQLException("unique violation", "23505"))).isFalse();
        assertThat(permanent(new SQLException("could not serialize access", "40001"))).isFalse();
        assertThat(permanent(new SQLException("deadlock detected", "40P01"))).isFalse();
        assertThat(permanent(new SQLException("terminating connection", "57P01"))).isFalse();
        assertThat(permanent(new SQLException("relation does not exist", "42P01"))).isFalse();
        assertThat(permanent(new IllegalStateException("Connection is closed"))).isFalse();
    }

    @Test
    void theDatabasesWordCountsWhereverItIsInTheChain() {
        assertThat(permanent(new RuntimeException("wrapped", new SQLException("out of range", "22003")))).isTrue();
    }

    private static boolean permanent(Throwable failure) {
        return RecordFailures.isPermanent(failure, cause -> cause instanceof SQLException sql ? sql.getSQLState()
                : null);
    }
}
