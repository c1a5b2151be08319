package org.coalitiontracker.reporting.coalition;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.coalitiontracker.reporting.directory.ClusterEntry;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The coalition's totals through time, from the directory's dates: a cluster counts from the day it joined until
 * the day it withdrew. So the totals of any past date are right however late an event with an old date arrived.
 */
@ApplicationScoped
public class Timeline {

    /** The coalition's totals at the end of {@code asOf}. */
    public record Totals(LocalDate asOf, long clusters, long countries, BigDecimal emissionsReductionMtPerYear,
            long jobs, BigDecimal gdpUsdBn) {
    }

    /** What one member adds from one date on: +1 cluster and its figures when it joins, the opposite when it leaves. */
    private record Change(String country, int clusters, BigDecimal emissions, long jobs, BigDecimal gdp) {
    }

    Uni<Totals> asOf(LocalDate date) {
        return history(date).map(history -> history.isEmpty()
                ? new Totals(date, 0, 0, BigDecimal.ZERO.setScale(3), 0, BigDecimal.ZERO.setScale(3))
                : withDate(history.get(history.size() - 1), date));
    }

    /** The totals after each date on which they changed, oldest first. */
    Uni<List<Totals>> history() {
        return history(LocalDate.MAX);
    }

    private Uni<List<Totals>> history(LocalDate until) {
        return Panache.withSession(() -> ClusterEntry.<ClusterEntry> listAll()).map(entries -> history(entries, until));
    }

    /** The totals of these members after each date on which they changed, up to {@code until}, oldest first. */
    static List<Totals> history(List<ClusterEntry> entries, LocalDate until) {
        TreeMap<LocalDate, List<Change>> changes = new TreeMap<>();
        for (ClusterEntry entry : entries) {
            changes.computeIfAbsent(entry.joinedOn, day -> new ArrayList<>()).add(new Change(entry.country, 1,
                    entry.emissionsReductionMtPerYear, entry.jobs, entry.gdpUsdBn));
            if (entry.withdrawnOn != null) {
                changes.computeIfAbsent(entry.withdrawnOn, day -> new ArrayList<>()).add(new Change(
                        entry.country, -1, entry.emissionsReductionMtPerYear.negate(), -entry.jobs,
                        entry.gdpUsdBn.negate()));
            }
        }
        List<Totals> history = new ArrayList<>();
        Map<String, Integer> clustersPerCountry = new HashMap<>();
        long clusters = 0;
        long jobs = 0;
        BigDecimal emissions = BigDecimal.ZERO.setScale(3);
        BigDecimal gdp = BigDecimal.ZERO.setScale(3);
        for (Map.Entry<LocalDate, List<Change>> day : changes.headMap(until, true).entrySet()) {
            for (Change change : day.getValue()) {
                clustersPerCountry.merge(change.country(), change.clusters(), Integer::sum);
                clusters += change.clusters();
                emissions = emissions.add(change.emissions());
                jobs += change.jobs();
                gdp = gdp.add(change.gdp());
            }
            long countries = clustersPerCountry.values().stream().filter(count -> count > 0).count();
            history.add(new Totals(day.getKey(), clusters, countries, emissions, jobs, gdp));
        }
        return history;
    }

    private static Totals withDate(Totals totals, LocalDate date) {
        return new Totals(date, totals.clusters(), totals.countries(), totals.emissionsReductionMtPerYear(),
                totals.jobs(), totals.gdpUsdBn());
    }
}
