package org.coalitiontracker.reporting.coalition;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The timeline's answers, kept until the timeline changes: after each change every open dashboard asks again for the
 * history and the totals as of its date, and each answer reads and adds up every day of the timeline (the history,
 * about 20 ms of the database at any size of the roster). The database counts the statements that change the timeline
 * (V29); a request reads that count, a row, and is answered from what was kept at the same count. The count is read
 * before the answer is computed, so an answer kept is never older than its count says.
 */
@ApplicationScoped
class TimelineAnswers {

    /** Distinct questions kept at once (dates and ranges differ between dashboards): a history is some 200 KB. */
    private static final int KEPT = 16;

    private final Pool database;
    /** The count of changes the kept answers were computed at; guarded by this. */
    private long changes = -1;
    private final Map<Object, Object> kept = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
            return size() > KEPT;
        }
    };

    TimelineAnswers(Pool database) {
        this.database = database;
    }

    /** The answer to {@code question} (a record of its parameters) as the timeline is now. */
    @SuppressWarnings("unchecked")
    <T> Uni<T> answer(Object question, Supplier<Uni<T>> computed) {
        return database.query("SELECT changes FROM timeline_changes").execute()
                .map(rows -> rows.iterator().next().getLong("changes"))
                .chain(now -> {
                    T known = (T) kept(now, question);
                    return known != null ? Uni.createFrom().item(known)
                            : computed.get().invoke(answer -> keep(now, question, answer));
                });
    }

    private synchronized Object kept(long now, Object question) {
        return now == changes ? kept.get(question) : null;
    }

    private synchronized void keep(long now, Object question, Object answer) {
        if (now > changes) {
            kept.clear();
            changes = now;
        }
        if (now == changes) {
            kept.put(question, answer);
        }
    }
}
