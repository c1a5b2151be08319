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
 * (V29); a request reads that count, a row, and is answered from what was kept at the same count. The dashboards ask
 * at the same moment, so an answer is kept from when it is first asked for: the requests that come while it is computed
 * wait for it rather than compute it too. The count is read before the answer is computed, so an answer kept is never
 * older than its count says.
 */
@ApplicationScoped
class TimelineAnswers {

    /** Distinct questions kept at once (dates and ranges differ between dashboards): a history is some 200 KB. */
    private static final int KEPT = 16;

    private final Pool database;
    /** The count of changes the kept answers are of; guarded by this. */
    private long changes = -1;
    private final Map<Object, Uni<?>> kept = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Uni<?>> eldest) {
            return size() > KEPT;
        }
    };

    TimelineAnswers(Pool database) {
        this.database = database;
    }

    /** The answer to {@code question} (a record of its parameters) as the timeline is now. */
    <T> Uni<T> answer(Object question, Supplier<Uni<T>> computed) {
        return database.query("SELECT changes FROM timeline_changes").execute()
                .map(rows -> rows.iterator().next().getLong("changes"))
                .chain(now -> answer(now, question, computed));
    }

    @SuppressWarnings("unchecked")
    private synchronized <T> Uni<T> answer(long now, Object question, Supplier<Uni<T>> computed) {
        if (now < changes) {
            // Read before a newer count was: answered alone, not kept.
            return computed.get();
        }
        if (now > changes) {
            kept.clear();
            changes = now;
        }
        Uni<T> answer = (Uni<T>) kept.get(question);
        if (answer == null) {
            answer = computed.get().onFailure().invoke(() -> forget(now, question)).memoize().indefinitely();
            kept.put(question, answer);
        }
        return answer;
    }

    /** A failed answer (the database away) is computed again for the next request. */
    private synchronized void forget(long failedAt, Object question) {
        if (failedAt == changes) {
            kept.remove(question);
        }
    }
}
