package org.coalitiontracker.metrics.totals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.coalitiontracker.contracts.ClusterEvent;
import org.coalitiontracker.contracts.Figures;

/**
 * What one cluster adds to the totals, as of the newest event applied for it ({@code version}): its figures count
 * in every scope it belongs to from {@code joinedOn} until {@code withdrawnOn}, if it withdrew.
 *
 * @param sums one cluster and its figures
 */
record Contribution(int version, String country, String region, List<String> sectors, LocalDate joinedOn,
        LocalDate withdrawnOn, Sums sums) {

    static final String UNSPECIFIED_REGION = "UNSPECIFIED";

    /** The cluster as it counts after an event that keeps the contract's rule; without a region, in UNSPECIFIED. */
    static Contribution of(ClusterEvent event) {
        Figures figures = event.figures();
        return new Contribution(event.version(), event.country(),
                event.region() != null ? event.region() : UNSPECIFIED_REGION, List.copyOf(event.sectors()),
                event.joinedOn(), event.withdrawnOn(),
                Sums.ofCluster(figures.emissionsReductionMtPerYear(), figures.jobs(), figures.gdpUsdBn()));
    }

    /** Whether it counts in the current totals. */
    boolean current() {
        return withdrawnOn == null;
    }

    /**
     * The scopes it counts in: the coalition, its country, its region, each of its sectors and its cohort (join
     * year). A scope's name is its kind and its value, e.g. {@code country:GB}, {@code sector:STEEL}.
     */
    List<String> scopes() {
        List<String> scopes = new ArrayList<>(4 + sectors.size());
        scopes.add(Scope.COALITION);
        scopes.add(Scope.COUNTRY.of(country));
        scopes.add(Scope.REGION.of(region));
        for (String sector : sectors) {
            scopes.add(Scope.SECTOR.of(sector));
        }
        scopes.add(Scope.COHORT.of(String.valueOf(joinedOn.getYear())));
        return scopes;
    }
}
