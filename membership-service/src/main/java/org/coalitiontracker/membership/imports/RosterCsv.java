package org.coalitiontracker.membership.imports;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.coalitiontracker.membership.roster.JoinRequest;
import org.coalitiontracker.membership.roster.Sector;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
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
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private RosterCsv() {
    }

    /** One data row (numbered from 1 after the header): the join it asks for, or why it could not be read. */
    record Row(int number, String name, JoinRequest request, String error) {
    }

    /**
     * The rows of a CSV, each read into the join it asks for or its reason not to be. A CSV that cannot be read as a
     * whole (an unterminated quote, a row longer than the header, no header at all) is {@link Unreadable}, with the
     * line where reading stopped. A UTF-8 byte order mark, which spreadsheets write, is skipped.
     */
    static List<Row> read(String csv) {
        String text = csv.startsWith(BYTE_ORDER_MARK) ? csv.substring(1) : csv;
        if (text.isBlank()) {
            throw new Unreadable("The CSV is empty: it needs a header line, then a line per cluster");
        }
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> lines = CSV.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
            while (lines.hasNextValue()) {
                rows.add(row(rows.size() + 1, lines.nextValue()));
            }
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw new Unreadable("The CSV cannot be read" + (where == null ? "" : " at line " + where.getLineNr())
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Unreadable("The CSV cannot be read: " + e.getMessage());
        }
        return rows;
    }

    /** A CSV that cannot be read as a whole: a 400 that says where. */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
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
