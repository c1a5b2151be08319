package org.coalitiontracker.membership;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The ERROR lines the service logs while this is open, as an operator's alert on the log sees them: a database that
 * drops its connections is expected, and logged as WARN.
 */
final class LoggedErrors extends Handler implements AutoCloseable {

    private final List<String> errors = new CopyOnWriteArrayList<>();

    private LoggedErrors() {
        setLevel(Level.SEVERE);
    }

    static LoggedErrors open() {
        LoggedErrors handler = new LoggedErrors();
        Logger.getLogger("").addHandler(handler);
        return handler;
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            errors.add(record.getLoggerName() + ": " + record.getMessage()
                    + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
