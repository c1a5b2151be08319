package org.coalitiontracker.membership.imports;

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
 * Joins many clusters at once, in the order given, row by row: each valid new row joins in its own transaction
 * (as a single {@code POST /clusters} would), rows already on the roster are reported and not duplicated, and bad
 * rows are reported with their reasons without stopping the others.
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

    private final RosterChanges changes;
    private final Validator validator;

    RosterImport(RosterChanges changes, Validator validator) {
        this.changes = changes;
        this.validator = validator;
    }

    /** Imports every row, to the end even if the caller leaves. */
    Uni<Summary> importRows(List<RosterCsv.Row> rows) {
        return RosterChanges.evenIfCallerLeaves(Multi.createFrom().iterable(rows)
                .onItem().transformToUniAndConcatenate(this::importRow)
                .collect().asList()
                .map(Summary::of));
    }

    private Uni<RowResult> importRow(RosterCsv.Row row) {
        if (row.error() != null) {
            return Uni.createFrom().item(rejected(row, List.of(row.error())));
        }
        Set<ConstraintViolation<JoinRequest>> violations = validator.validate(row.request());
        if (!violations.isEmpty()) {
            return Uni.createFrom().item(rejected(row, violations.stream()
                    .map(violation -> violation.getPropertyPath() + ": " + violation.getMessage())
                    .sorted().collect(Collectors.toList())));
        }
        return changes.join(row.request())
                .map(cluster -> new RowResult(row.number(), row.name(), Outcome.JOINED, cluster.id, List.of()))
                .onFailure(Roster.AlreadyMember.class).recoverWithItem(failure -> new RowResult(row.number(),
                        row.name(), Outcome.ALREADY_PRESENT, ((Roster.AlreadyMember) failure).existing.id, List.of()));
    }

    private static RowResult rejected(RosterCsv.Row row, List<String> errors) {
        return new RowResult(row.number(), row.name(), Outcome.REJECTED, null, errors);
    }
}
