package org.coalitiontracker.membership.imports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.coalitiontracker.membership.roster.JoinRequest;
import org.coalitiontracker.membership.roster.Roster;
import org.coalitiontracker.membership.roster.RosterChanges;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Joins many clusters at once, in the order given: the valid new rows join as single {@code POST /clusters} would
 * (each with its event), a few hundred per transaction; rows already on the roster are reported and not duplicated,
 * and bad rows are reported with their reasons without stopping the others.
 */
@ApplicationScoped
public class RosterImport {

    enum Outcome {
        JOINED,
        ALREADY_PRESENT,
        REJECTED
    }

    record RowResult(int row, String name, Outcome outcome, UUID clusterId, List<String> errors) {
    }

    record Summary(String mode, int rows, long joined, long alreadyPresent, long rejected, List<RowResult> results) {

        static Summary of(List<RowResult> results) {
            return new Summary("per-row", results.size(), count(results, Outcome.JOINED),
                    count(results, Outcome.ALREADY_PRESENT), count(results, Outcome.REJECTED), results);
        }

        private static long count(List<RowResult> results, Outcome outcome) {
            return results.stream().filter(result -> result.outcome() == outcome).count();
        }
    }

    /** Joins per transaction: few enough to keep a transaction short, enough to pay its round trips once. */
    public static final int ROWS_PER_TRANSACTION = 500;

    private static final Logger LOG = Logger.getLogger(RosterImport.class);

    private final RosterChanges changes;
    private final Validator validator;
    private final ObjectMapper json;

    RosterImport(RosterChanges changes, Validator validator, ObjectMapper json) {
        this.changes = changes;
        this.validator = validator;
        this.json = json;
    }

    /**
     * Imports every row, to the end even if the caller leaves. The valid rows join in transactions of up to
     * {@link #ROWS_PER_TRANSACTION}: a row's outcome is its own, and a row that cannot join stops no other.
     */
    Uni<Summary> importRows(List<RosterCsv.Row> rows) {
        return RosterChanges.evenIfCallerLeaves(decide(rows).collect().in(ArrayList<RowResult>::new, List::addAll)
                .map(RosterImport::summary));
    }

    /**
     * Imports every row as {@link #importRows} does, in the background: answers at once with the import's record,
     * which each transaction's commit moves on, and which holds every row's result once it ends.
     */
    Uni<BackgroundImport> inBackground(List<RosterCsv.Row> rows) {
        BackgroundImport started = BackgroundImport.of(rows.size());
        return Panache.withTransaction(started::persist).invoke(() -> {
            List<RowResult> decided = new ArrayList<>();
            decide(rows).onItem().call(results -> {
                decided.addAll(results);
                Summary progress = Summary.of(decided);
                return Panache.withTransaction(() -> BackgroundImport.update("done = ?1, joined = ?2, "
                        + "alreadyPresent = ?3, rejected = ?4, updatedAt = ?5 where id = ?6", decided.size(),
                        progress.joined(), progress.alreadyPresent(), progress.rejected(), BackgroundImport.now(),
                        started.id));
            }).collect().last().replaceWith((String) null)
                    .onFailure().recoverWithItem(Throwable::toString)
                    .chain(failure -> finish(started.id, summary(decided), failure))
                    .subscribe().with(finished -> {
                    }, failure -> LOG.warnf("The background import %s could not record its end: %s", started.id,
                            failure.toString()));
        }).replaceWith(started);
    }

    /** Every row decided, a transaction's rows at a time: the rejected ones first, then those of each commit. */
    private Multi<List<RowResult>> decide(List<RosterCsv.Row> rows) {
        List<RowResult> rejected = new ArrayList<>();
        List<RosterCsv.Row> valid = new ArrayList<>();
        for (RosterCsv.Row row : rows) {
            RowResult problem = problem(row);
            if (problem != null) {
                rejected.add(problem);
            } else {
                valid.add(row);
            }
        }
        Multi<List<RowResult>> joined = Multi.createFrom().iterable(valid).group().intoLists()
                .of(ROWS_PER_TRANSACTION)
                .onItem().transformToUniAndConcatenate(chunk -> changes.joinAll(chunk.stream()
                        .map(RosterCsv.Row::request).toList()).map(outcomes -> {
                            List<RowResult> results = new ArrayList<>(chunk.size());
                            for (int i = 0; i < chunk.size(); i++) {
                                Roster.JoinOutcome outcome = outcomes.get(i);
                                results.add(new RowResult(chunk.get(i).number(), chunk.get(i).name(),
                                        outcome.joined() ? Outcome.JOINED : Outcome.ALREADY_PRESENT,
                                        outcome.cluster().id, List.of()));
                            }
                            return results;
                        }));
        return rejected.isEmpty() ? joined
                : Multi.createBy().concatenating().streams(Multi.createFrom().item(rejected), joined);
    }

    /** Records the end of a background import: its counts, every row's result, and why it stopped early if it did. */
    private Uni<Void> finish(UUID id, Summary summary, String failure) {
        String results;
        try {
            results = json.writeValueAsString(summary.results());
        } catch (JsonProcessingException impossible) {
            return Uni.createFrom().failure(impossible);
        }
        return Panache.withTransaction(() -> BackgroundImport.<BackgroundImport> findById(id).invoke(ended -> {
            ended.done = summary.rows();
            ended.joined = summary.joined();
            ended.alreadyPresent = summary.alreadyPresent();
            ended.rejected = summary.rejected();
            ended.failure = failure;
            ended.results = results;
            ended.finishedAt = BackgroundImport.now();
            ended.updatedAt = ended.finishedAt;
        })).replaceWithVoid();
    }

    /** The rows' results in the order of the rows. */
    private static Summary summary(List<RowResult> results) {
        List<RowResult> inOrder = new ArrayList<>(results);
        inOrder.sort(Comparator.comparingInt(RowResult::row));
        return Summary.of(inOrder);
    }

    /** Why a row cannot join, or null if it is a valid join request. */
    private RowResult problem(RosterCsv.Row row) {
        if (row.error() != null) {
            return rejected(row, List.of(row.error()));
        }
        Set<ConstraintViolation<JoinRequest>> violations = validator.validate(row.request());
        if (!violations.isEmpty()) {
            return rejected(row, violations.stream()
                    .map(violation -> violation.getPropertyPath() + ": " + violation.getMessage())
                    .sorted().collect(Collectors.toList()));
        }
        return null;
    }

    private static RowResult rejected(RosterCsv.Row row, List<String> errors) {
        return new RowResult(row.number(), row.name(), Outcome.REJECTED, null, errors);
    }
}
