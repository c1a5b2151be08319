package org.coalitiontracker.metrics.totals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeTest {

    @ParameterizedTest
    @ValueSource(strings = { "coalition", "country:GB", "region:EUROPE", "sector:STEEL", "cohort:2025",
            "sector:CARBON_CAPTURE_AND_STORAGE" })
    void theTotalsNamesAreScopes(String name) {
        assertThat(Scope.isName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "coalition:", "country:", "country:gb", "planet:EARTH", "country", ":GB",
            "country:G B", "country:GB\u0000", "sector:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456" })
    void anythingElseIsNot(String name) {
        assertThat(Scope.isName(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "country:GB", "sector:STEEL", "cohort:2025" })
    void aScopesValueIsWhatFollowsItsKind(String name) {
        assertThat(Scope.value(name)).isEqualTo(name.substring(name.indexOf(':') + 1));
        assertThat(Scope.value(Scope.COALITION)).isEqualTo(Scope.COALITION);
    }
}
