package org.coalitiontracker.membership;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * The roster as CSV, in the format of the coalition's published roster: a header line, then
 * {@code name,country,joined_on,sectors,port_anchored,emissions_reduction_mt_per_year,jobs,gdp_usd_bn,figures_basis}
 * with sectors separated by {@code ;} and port_anchored {@code true}, {@code false} or empty (not stated). Other
 * columns (such as {@code source}) are ignored.
 */
final class RosterCsv {

    private static final CsvMapper CSV = new CsvMapper();

    private RosterCsv() {
    }

    /** One data row (numbered from 1 after the header): the join it asks for, or why it could not be read. */
    record Row(int number, String name, JoinRequest request, String error) {
    }

    static List<Row> read(String csv) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> lines = CSV.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv)) {
            while (lines.hasNextValue()) {
                rows.add(row(rows.size() + 1, lines.nextValue()));
            }
        }
        return rows;
    }

    private static Row row(int number, Map<String, String> fields) {
        String name = fields.get("name");
        try {
            return new Row(number, name, new JoinRequest(
                    name,
                    blankToNull(fields.get("country")),
                    parse(fields, "joined_on", LocalDate::parse),
                    parse(fields, "sectors", sectors -> Arrays.stream(sectors.split(";"))
                            .map(String::strip).map(Sector::valueOf).toList()),
                    parse(fields, "port_anchored", RosterCsv::portAnchored),
                    parse(fields, "emissions_reduction_mt_per_year", BigDecimal::new),
                    parse(fields, "jobs", Long::valueOf),
                    parse(fields, "gdp_usd_bn", BigDecimal::new),
                    blankToNull(fields.get("figures_basis"))), null);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return new Row(number, name, null, e.getMessage());
        }
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(Map<String, String> fields, String column, Parser<T> parser) {
        String text = blankToNull(fields.get(column));
        if (text == null) {
            return null;
        }
        try {
            return parser.parse(text.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(column + ": cannot read '" + text + "'", e);
        }
    }

    private static Boolean portAnchored(String text) {
        return switch (text.toLowerCase()) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("expected true, false or empty");
        };
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
