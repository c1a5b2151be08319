package org.coalitiontracker.metrics.totals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class SumsTest {

    @Test
    void figuresAreKeptAsWholeThousandthsExactly() {
        Sums sums = Sums.ofCluster(new BigDecimal("999999999.999"), 4_300_000, new BigDecimal("0.001"));

        assertThat(sums).isEqualTo(new Sums(1, 999_999_999_999L, 4_300_000, 1));
        assertThat(Sums.ofCluster(new BigDecimal("25.5"), 0, new BigDecimal("14.25")))
                .isEqualTo(new Sums(1, 25_500, 0, 14_250));
    }

    @Test
    void aFigureWithAFourthDecimalIsRefusedNotRounded() {
        assertThatThrownBy(() -> Sums.ofCluster(new BigDecimal("0.0001"), 0, BigDecimal.ZERO))
                .isInstanceOf(ArithmeticException.class);
    }
}
