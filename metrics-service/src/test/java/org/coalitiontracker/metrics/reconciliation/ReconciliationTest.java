package org.coalitiontracker.metrics.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.coalitiontracker.metrics.totals.DeadLetters;
import org.coalitiontracker.metrics.totals.TotalsChanged;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    private static final DeadLetters.Summary NONE = new DeadLetters.Summary(0, List.of());
    private static final RosterSummary ROSTER = new RosterSummary(LocalDate.of(2025, 1, 22), 33, 16,
            new BigDecimal("832.000"), 4_300_000, new BigDecimal("492.000"));

    private static TotalsChanged totals(long clusters, String emissions) {
        return new TotalsChanged("coalition", 7, "e", null, clusters, 16, new BigDecimal(emissions), 4_300_000,
                new BigDecimal("492"), Instant.now());
    }

    @Test
    void equalFiguresAreEqualWhateverTheirScale() {
        Reconciliation reconciliation = Reconciliation.of(totals(33, "832"), ROSTER, NONE, null);

        assertThat(reconciliation.status()).isEqualTo(Reconciliation.Status.EQUAL);
        assertThat(reconciliation.differences()).isEmpty();
        assertThat(reconciliation.differentSince()).isNull();
    }

    @Test
    void aDifferenceIsNamedAndDatedFromWhenItWasFirstSeen() {
        Reconciliation first = Reconciliation.of(totals(49, "832"), ROSTER, NONE, null);
        Reconciliation later = Reconciliation.of(totals(49, "832.001"), ROSTER, NONE, first.differentSince());

        assertThat(first.status()).isEqualTo(Reconciliation.Status.DIFFERENT);
        assertThat(first.differences()).extracting(Reconciliation.Difference::figure).containsExactly("clusters");
        assertThat(first.differentSince()).isEqualTo(first.checkedAt());
        assertThat(later.differences()).extracting(Reconciliation.Difference::figure)
                .containsExactly("clusters", "emissionsReductionMtPerYear");
        assertThat(later.differentSince()).isEqualTo(first.differentSince());
        assertThat(Reconciliation.of(totals(33, "832"), ROSTER, NONE, first.differentSince()).differentSince())
                .isNull();
    }
}
