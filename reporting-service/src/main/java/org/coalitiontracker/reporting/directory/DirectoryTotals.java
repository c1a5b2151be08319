package org.coalitiontracker.reporting.directory;

import java.math.BigDecimal;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * What the directory's current members add up to. The directory reads cluster-events itself, by the same rule as
 * metrics-service, so once both have taken in the same events these are the coalition totals: a difference that lasts
 * while the totals do not move means the totals have stalled.
 */
public record DirectoryTotals(long clusters, long countries, BigDecimal emissionsReductionMtPerYear, long jobs,
        BigDecimal gdpUsdBn) {

    /** Needs a session. */
    public static Uni<DirectoryTotals> current() {
        return Panache.getSession().chain(session -> session.createSelectionQuery("""
                select count(c), count(distinct c.country), coalesce(sum(c.emissionsReductionMtPerYear), 0),
                       coalesce(sum(c.jobs), 0), coalesce(sum(c.gdpUsdBn), 0)
                from ClusterEntry c where c.withdrawnOn is null""", Object[].class).getSingleResult())
                .map(row -> new DirectoryTotals((Long) row[0], (Long) row[1], (BigDecimal) row[2],
                        ((Number) row[3]).longValue(), (BigDecimal) row[4]));
    }
}
