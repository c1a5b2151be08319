package org.coalitiontracker.metrics.totals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

class LedgerTest {

    private static Contribution contribution(String country, long jobs) {
        return new Contribution(1, country, "EUROPE", List.of("STEEL"), LocalDate.of(2025, 1, 22), null,
                new Sums(1, 1000, jobs, 1000));
    }

    @Test
    void eachScopeMovesByWhatItsClustersAddAndTakeBack() {
        Ledger ledger = new Ledger();
        Contribution before = contribution("GB", 10);
        ledger.replace(null, before, "e1", null, 1);
        ledger.replace(before, contribution("GB", 25), "e2", null, 2);

        Ledger.ScopeChange coalition = ledger.changes().get(Scope.COALITION);
        assertThat(coalition.clusters).isEqualTo(1);
        assertThat(coalition.jobs).isEqualTo(25);
        assertThat(ledger.changes().get("country:GB").clustersByCountry).containsEntry("GB", 1L);
        assertThat(ledger.changes().keySet()).containsExactly("coalition", "cohort:2025", "country:GB",
                "region:EUROPE", "sector:STEEL");
    }

    @Test
    void theLastEventOfAScopeIsTheNewestRecordNotTheLastApplied() {
        Ledger ledger = new Ledger();
        // A batch takes partitions one after the other: the record applied last may be older than one before it.
        ledger.replace(null, contribution("GB", 1), "newest", "2025-01-22T10:00:02Z", 2_000);
        ledger.replace(null, contribution("FR", 1), "older", "2025-01-22T10:00:01Z", 1_000);

        assertThat(ledger.changes().get(Scope.COALITION).lastEventId).isEqualTo("newest");
        assertThat(ledger.changes().get(Scope.COALITION).lastEventTime).isEqualTo("2025-01-22T10:00:02Z");
        assertThat(ledger.changes().get("country:FR").lastEventId).isEqualTo("older");
    }

    @Test
    void aWithdrawalTakesTheClusterOutOfEveryScopeItCountedIn() {
        Ledger ledger = new Ledger();
        Contribution member = contribution("GB", 10);
        ledger.replace(null, member, "joined", null, 1);
        Contribution withdrawn = new Contribution(2, "GB", "EUROPE", List.of("STEEL"), member.joinedOn(),
                LocalDate.of(2026, 1, 1), member.sums());
        ledger.replace(member, withdrawn, "withdrew", null, 2);

        ledger.changes().forEach((scope, change) -> {
            assertThat(change.clusters).as(scope).isZero();
            assertThat(change.jobs).as(scope).isZero();
            assertThat(change.lastEventId).as(scope).isEqualTo("withdrew");
        });
        assertThat(ledger.changes().get("country:GB").clustersByCountry).containsEntry("GB", 0L);
    }

    @Test
    void aSumThatWouldOverflowFailsRatherThanWrap() {
        Ledger ledger = new Ledger();
        ledger.replace(null, contribution("GB", Long.MAX_VALUE), "e1", null, 1);

        assertThatThrownBy(() -> ledger.replace(null, contribution("FR", 1), "e2", null, 2))
                .isInstanceOf(ArithmeticException.class);
    }
}
