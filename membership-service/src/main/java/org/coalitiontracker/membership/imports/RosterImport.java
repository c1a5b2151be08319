package org.coalitiontracker.membership.imports;

import java.util.ArrayList;
import java.util.Arrays;
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

    private final RosterChanges changes;
    private final Validator validator;

    RosterImport(RosterChanges changes, Validator validator) {
        this.changes = changes;
        this.validator = validator;
    }

    /**
     * Imports every row, to the end even if the caller leaves. The valid rows join in transactions of up to
     * {@link #ROWS_PER_TRANSACTION}: a row's outcome is its own, and a row that cannot join stops no other.
     */
    Uni<Summary> importRows(List<RosterCsv.Row> rows) {
        RowResult[] results = new RowResult[rows.size()];
        List<Integer> valid = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            RowResult problem = problem(rows.get(i));
            if (problem != null) {
                results[i] = problem;
            } else {
                valid.add(i);
            }
        }
        return RosterChanges.evenIfCallerLeaves(Multi.createFrom().iterable(valid).group().intoLists()
                .of(ROWS_PER_TRANSACTION)
                .onItem().transformToUniAndConcatenate(chunk -> changes.joinAll(chunk.stream()
                        .map(i -> rows.get(i).request()).toList()).invoke(outcomes -> {
                            for (int j = 0; j < chunk.size(); j++) {
                                RosterCsv.Row row = rows.get(chunk.get(j));
                                Roster.JoinOutcome outcome = outcomes.get(j);
                                results[chunk.get(j)] = new RowResult(row.number(), row.name(),
                                        outcome.joined() ? Outcome.JOINED : Outcome.ALREADY_PRESENT,
                                        outcome.cluster().id, List.of());
                            }
                        }))
                .collect().last()
                .map(done -> Summary.of(Arrays.asList(results))));
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
