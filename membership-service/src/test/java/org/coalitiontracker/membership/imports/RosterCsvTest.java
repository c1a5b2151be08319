package org.coalitiontracker.membership.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import org.coalitiontracker.membership.roster.JoinRequest;
import org.coalitiontracker.membership.roster.Sector;
import org.junit.jupiter.api.Test;

/** The CSV reader alone, without a service: what each row asks for, and why a row or a whole CSV is refused. */
class RosterCsvTest {

    private static final String HEADER = "name,country,joined_on,sectors,port_anchored,"
            + "emissions_reduction_mt_per_year,jobs,gdp_usd_bn,figures_basis,source\n";

    @Test
    void aRowReadsIntoTheJoinItAsksForAndOtherColumnsAreIgnored() {
        List<RosterCsv.Row> rows = RosterCsv.read(HEADER
                + "Teesside,GB,2025-01-22,STEEL; HYDROGEN,true,15.846,69231,10.000,apportioned,https://example.org\n");

        assertThat(rows).containsExactly(new RosterCsv.Row(1, "Teesside", new JoinRequest("Teesside", "GB",
                LocalDate.of(2025, 1, 22), List.of(Sector.STEEL, Sector.HYDROGEN), true, new BigDecimal("15.846"),
                69231L, new BigDecimal("10.000"), "apportioned"), null));
    }

    @Test
    void blankCellsAreAbsentAndABadCellRefusesItsRowAloneNamingTheColumn() {
        List<RosterCsv.Row> rows = RosterCsv.read(HEADER
                + "No Port Said,GB,2025-01-22,STEEL,,1.000,10,1.000,,\n"
                + "Bad Date,GB,2025-13-45,STEEL,,1.000,10,1.000,,\n"
                + "Bad Sector,GB,2025-01-22,STEEL;WIZARDRY,,1.000,10,1.000,,\n"
                + "Fractional Jobs,GB,2025-01-22,STEEL,,1.000,1.5,1.000,,\n"
                + "Bad Port,GB,2025-01-22,STEEL,maybe,1.000,10,1.000,,\n");

        assertThat(rows.get(0).request().portAnchored()).isNull();
        assertThat(rows.get(0).request().figuresBasis()).isNull();
        assertThat(rows.stream().skip(1).map(RosterCsv.Row::error)).containsExactly(
                "joined_on: cannot read '2025-13-45'", "sectors: cannot read 'STEEL;WIZARDRY'",
                "jobs: cannot read '1.5'", "port_anchored: cannot read 'maybe'");
        assertThat(rows.stream().map(RosterCsv.Row::number)).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void aByteOrderMarkIsSkipped() {
        assertThat(RosterCsv.read("\uFEFF" + HEADER + "Teesside,GB,2025-01-22,STEEL,,1,1,1,,\n"))
                .extracting(RosterCsv.Row::name).containsExactly("Teesside");
    }

    @Test
    void aCsvThatCannotBeReadAsAWholeSaysAtWhichLine() {
        assertThatThrownBy(() -> RosterCsv.read(HEADER + "Teesside,GB,2025-01-22,STEEL,,1,1,1,,,extra,columns\n"))
                .isInstanceOf(RosterCsv.Unreadable.class).hasMessageContaining("at line 2");
        assertThatThrownBy(() -> RosterCsv.read(HEADER + "\"Unterminated,GB\n"))
                .isInstanceOf(RosterCsv.Unreadable.class).hasMessageContaining("closing quote");
        assertThatThrownBy(() -> RosterCsv.read(" \n "))
                .isInstanceOf(RosterCsv.Unreadable.class).hasMessageContaining("is empty");
    }
}
