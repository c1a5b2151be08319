package org.coalitiontracker.contracts;

import io.vertx.sqlclient.DatabaseException;

/**
 * Whether a consumer's failure to apply a record can succeed later or never. A consumer retries the first kind (the
 * database or the broker is away, a serialization conflict, a deadlock) with back-off, for as long as it takes; it
 * sends a record of the second kind to its dead-letter topic, alone, and goes on. Validation against
 * {@link ClusterEvent#problem()} keeps such records from the database; this is the net under it.
 * <p>
 * Permanent: an arithmetic overflow, and PostgreSQL's data exceptions (SQLSTATE class 22, such as a date or a number
 * out of range) and integrity violations (class 23), but for a unique violation, which a concurrent writer of the
 * same row causes and a retry resolves. Everything else is retried: a failure that no record causes (a bug, a missing
 * table) must stall the stream visibly, not send every record to the dead-letter topic.
 */
public final class RecordFailures {

    private static final String UNIQUE_VIOLATION = "23505";

    private RecordFailures() {
    }

    /** Whether the failure of a write (of the consumers' reactive database client) can never succeed. */
    public static boolean isPermanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ArithmeticException) {
                return true;
            }
            if (cause instanceof DatabaseException database && database.getSqlState() != null) {
                return isPermanent(database.getSqlState());
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** The database's own words, with its SQLSTATE, or the failure if it was not the database's: the reason to give. */
    public static String databaseReason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabaseException) {
                return cause.getMessage();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return failure.toString();
    }

    static boolean isPermanent(String sqlState) {
        return !UNIQUE_VIOLATION.equals(sqlState) && (sqlState.startsWith("22") || sqlState.startsWith("23"));
    }
}
