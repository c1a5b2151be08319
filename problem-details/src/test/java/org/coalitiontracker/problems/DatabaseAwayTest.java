package org.coalitiontracker.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.CompositeException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.ClosedConnectionException;

class DatabaseAwayTest {

    @Test
    void aLostOrRefusedConnectionIsTheDatabaseBeingAway() {
        assertThat(DatabaseAway.causedBy(new RuntimeException(new SocketException("Connection reset")))).isTrue();
        assertThat(DatabaseAway.causedBy(ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(DatabaseAway.causedBy(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(DatabaseAway.causedBy(new SQLException("connection failure", "08006"))).isTrue();
        assertThat(DatabaseAway.causedBy(new SQLException("cannot execute INSERT in a read-only transaction", "25006")))
                .isTrue();
        // Mutiny gathers a failure and the failed rollback after it; the connection's loss is the second.
        assertThat(DatabaseAway.causedBy(new CompositeException(List.of(new IllegalStateException("HR000090"),
                new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"))))).isTrue();
    }

    @Test
    void aFailureOfTheRequestItselfIsNot() {
        assertThat(DatabaseAway.causedBy(new SQLException("check violation", "23514"))).isFalse();
        assertThat(DatabaseAway.causedBy(new IllegalStateException("a bug"))).isFalse();
    }
}
