package org.coalitiontracker.reporting.directory;

import java.time.LocalDate;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * {@code GET /coalition/export.csv}: every cluster, members and those that withdrew, in joining order, for
 * spreadsheets: the cluster's id, then the columns of the shared roster but its {@code source} (which no event
 * carries), with region and withdrawal date beside country and join date; sectors separated by {@code ;}. The
 * roster import reads it back (it ignores the columns it does not know). {@code ?bom=true} starts it with a UTF-8
 * byte order mark, without which Excel on Windows reads accented names as Latin-1.
 */
@Path("/coalition/export.csv")
public class DirectoryExport {

    private static final String EXAMPLE = """
            cluster_id,name,country,region,joined_on,withdrawn_on,sectors,port_anchored,emissions_reduction_mt_per_year,jobs,gdp_usd_bn,figures_basis
            0b9f4a52-6f0e-4f7e-9a53-3f1c2d7c8e21,Port of Rotterdam,NL,EUROPE,2025-01-22,,PORT_LOGISTICS;REFINING;CHEMICALS,true,15.846,69231,10.000,apportioned: equal share of the published total of its joining wave
            """;

    /** Quotes a value only where CSV needs it (a comma, a quote, a line break). */
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .build();
    private static final CsvSchema COLUMNS = CSV.schemaFor(Row.class);
    private static final ObjectWriter ROW = CSV.writer(COLUMNS);
    private static final String ENTRIES = """
            SELECT cluster_id, name, country, region, joined_on, withdrawn_on, sectors, port_anchored,
                   emissions_reduction_mt_per_year, jobs, gdp_usd_bn, figures_basis
            FROM cluster_entry ORDER BY joined_on, joined_seq""";
    private static final int ROWS_PER_FETCH = 1_000;
    /** Rows written to the response at once: one write per row would cost more than writing them. */
    private static final int ROWS_PER_CHUNK = 200;
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    @JsonPropertyOrder({ "cluster_id", "name", "country", "region", "joined_on", "withdrawn_on", "sectors",
            "port_anchored", "emissions_reduction_mt_per_year", "jobs", "gdp_usd_bn", "figures_basis" })
    record Row(String cluster_id, String name, String country, String region, String joined_on, String withdrawn_on,
            String sectors, Boolean port_anchored, String emissions_reduction_mt_per_year, long jobs,
            String gdp_usd_bn, String figures_basis) {

        static Row of(io.vertx.mutiny.sqlclient.Row entry) {
            LocalDate withdrawnOn = entry.getLocalDate("withdrawn_on");
            return new Row(entry.getUUID("cluster_id").toString(), inert(entry.getString("name")),
                    entry.getString("country"), entry.getString("region"),
                    entry.getLocalDate("joined_on").toString(), withdrawnOn == null ? null : withdrawnOn.toString(),
                    String.join(";", entry.getArrayOfStrings("sectors")), entry.getBoolean("port_anchored"),
                    entry.getBigDecimal("emissions_reduction_mt_per_year").toPlainString(), entry.getLong("jobs"),
                    entry.getBigDecimal("gdp_usd_bn").toPlainString(), inert(entry.getString("figures_basis")));
        }

        /**
         * Free text as a spreadsheet shows it but never runs it: a cell that starts with =, +, -, @, a tab or a
         * carriage return is a formula to Excel, LibreOffice and Google Sheets, so it gets a leading apostrophe
         * (OWASP's advice on CSV injection). Names and figure bases come from publishers, not from us.
         */
        static String inert(String text) {
            return text != null && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        }
    }

    private final Pool database;

    DirectoryExport(Pool database) {
        this.database = database;
    }

    @GET
    @Produces("text/csv; charset=UTF-8")
    @Operation(summary = "Every cluster as CSV, for spreadsheets", description = "In joining order, members and "
            + "those that withdrew; columns cluster_id, name, country, region, joined_on, withdrawn_on, sectors (';' "
            + "between them), port_anchored, emissions_reduction_mt_per_year, jobs, gdp_usd_bn, figures_basis. A "
            + "cell a spreadsheet would run as a formula starts with an apostrophe. Streamed as the database reads "
            + "it, one snapshot of the directory.")
    @APIResponse(responseCode = "200", description = "The CSV, with a header row.", content = @Content(mediaType = "text/csv; charset=UTF-8", schema = @Schema(type = SchemaType.STRING), example = EXAMPLE))
    public Multi<String> export(
            @Parameter(description = "Start with a UTF-8 byte order mark, for Excel on Windows") @QueryParam("bom") @DefaultValue("false") boolean bom) {
        Multi<String> rows = entries().group().intoLists().of(ROWS_PER_CHUNK).map(chunk -> {
            StringBuilder text = new StringBuilder();
            chunk.forEach(entry -> text.append(csv(Row.of(entry))));
            return text.toString();
        });
        String header = (bom ? BYTE_ORDER_MARK : "") + String.join(",", COLUMNS.getColumnNames()) + "\n";
        return RestMulti.fromMultiData(Multi.createBy().concatenating().streams(Multi.createFrom().item(header), rows))
                .header("Content-Disposition", "attachment; filename=\"coalition.csv\"").build();
    }

    /**
     * Every entry in joining order, read through a cursor in one read-only transaction: the rows come as the client
     * takes them, a fetch at a time, so the memory an export holds does not grow with the directory.
     */
    private Multi<io.vertx.mutiny.sqlclient.Row> entries() {
        return Multi.createFrom().resourceFromUni(database::getConnection,
                connection -> connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").execute()
                        .onItem().transformToMulti(begun -> connection.prepare(ENTRIES).onItem()
                                .transformToMulti(statement -> statement.createStream(ROWS_PER_FETCH).toMulti())))
                .withFinalizer(DirectoryExport::release);
    }

    /** Ends the read-only transaction and gives the connection back, however the export ended. */
    private static Uni<Void> release(SqlConnection connection) {
        return connection.query("ROLLBACK").execute().replaceWithVoid().onTermination().call(connection::close);
    }

    private static String csv(Row row) {
        try {
            return ROW.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A directory row could not be written as CSV", e);
        }
    }
}
