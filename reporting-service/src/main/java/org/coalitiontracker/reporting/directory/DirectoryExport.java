package org.coalitiontracker.reporting.directory;

import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

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
    private static final CsvSchema WITH_HEADER = CSV.schemaFor(Row.class).withHeader();
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    @JsonPropertyOrder({ "cluster_id", "name", "country", "region", "joined_on", "withdrawn_on", "sectors",
            "port_anchored", "emissions_reduction_mt_per_year", "jobs", "gdp_usd_bn", "figures_basis" })
    record Row(String cluster_id, String name, String country, String region, String joined_on, String withdrawn_on,
            String sectors, Boolean port_anchored, String emissions_reduction_mt_per_year, long jobs,
            String gdp_usd_bn, String figures_basis) {

        static Row of(ClusterEntry entry) {
            return new Row(entry.clusterId.toString(), inert(entry.name), entry.country, entry.region,
                    entry.joinedOn.toString(),
                    entry.withdrawnOn == null ? null : entry.withdrawnOn.toString(), String.join(";", entry.sectors),
                    entry.portAnchored, entry.emissionsReductionMtPerYear.toPlainString(), entry.jobs,
                    entry.gdpUsdBn.toPlainString(), inert(entry.figuresBasis));
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

    @GET
    @Produces("text/csv; charset=UTF-8")
    @WithSession
    @Operation(summary = "Every cluster as CSV, for spreadsheets", description = "In joining order, members and "
            + "those that withdrew; columns cluster_id, name, country, region, joined_on, withdrawn_on, sectors (';' "
            + "between them), port_anchored, emissions_reduction_mt_per_year, jobs, gdp_usd_bn, figures_basis. A "
            + "cell a spreadsheet would run as a formula starts with an apostrophe.")
    @APIResponse(responseCode = "200", description = "The CSV, with a header row.", content = @Content(mediaType = "text/csv; charset=UTF-8", schema = @Schema(type = SchemaType.STRING), example = EXAMPLE))
    public Uni<Response> export(
            @Parameter(description = "Start with a UTF-8 byte order mark, for Excel on Windows") @QueryParam("bom") @DefaultValue("false") boolean bom) {
        return ClusterEntry.<ClusterEntry> listAll(Sort.ascending("joinedOn", "joinedSeq")).map(entries -> {
            List<Row> rows = entries.stream().map(Row::of).toList();
            try {
                return Response.ok((bom ? BYTE_ORDER_MARK : "") + CSV.writer(WITH_HEADER).writeValueAsString(rows))
                        .header("Content-Disposition", "attachment; filename=\"coalition.csv\"").build();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("A directory row could not be written as CSV", e);
            }
        });
    }
}
