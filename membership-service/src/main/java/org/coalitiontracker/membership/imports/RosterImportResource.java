package org.coalitiontracker.membership.imports;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.coalitiontracker.membership.roster.ClusterResource;
import org.coalitiontracker.membership.roster.JoinRequest;
import org.coalitiontracker.problems.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Many clusters joining at once: each row as a single {@code POST /clusters} would, a few hundred to a transaction; in
 * the background, with its progress to read, when the caller prefers.
 */
@Path("/clusters/import")
@Produces(MediaType.APPLICATION_JSON)
public class RosterImportResource {

    private static final String PREFER = "respond-async to run the import in the background and answer at once "
            + "(RFC 7240)";
    private static final java.util.regex.Pattern RESPOND_ASYNC = java.util.regex.Pattern
            .compile("(?i)(^|[,;\\s])respond-async($|[,;\\s])");

    private final RosterImport rosterImport;

    RosterImportResource(RosterImport rosterImport) {
        this.rosterImport = rosterImport;
    }

    /** Joins every row of a roster CSV (the format of the coalition's published roster). */
    @RolesAllowed(ClusterResource.PUBLISHER)
    @POST
    @Consumes("text/csv")
    @Operation(summary = "Many clusters join at once", description = "Joins every row of a roster, each as a single "
            + "POST /clusters would (with its event), a few hundred to a transaction: as CSV in the columns of the "
            + "coalition's published roster (a header row, a UTF-8 byte order mark accepted; sectors separated by "
            + "semicolons), or as a JSON array of join requests. A row that cannot join is reported, not fatal; a row "
            + "already a member is reported as such. With Prefer: respond-async it answers at once, 202 with the "
            + "import's progress at its Location, GET /clusters/import/{id}. Needs a bearer token with the role "
            + "publisher.")
    @RequestBody(content = {
            @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING), examples = @ExampleObject(name = "Two clusters of the roster", value = RosterCsvExamples.CSV)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = JoinRequest.class), examples = @ExampleObject(name = "Two clusters of the roster", value = RosterCsvExamples.JSON)) })
    @APIResponse(responseCode = "200", description = "What happened to each row: joined, already present or rejected "
            + "(with the reasons).", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RosterImport.Summary.class)))
    @APIResponse(responseCode = "202", description = "With Prefer: respond-async, the import runs in the background; "
            + "its progress is at the Location.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportProgress.class)))
    public Uni<Response> importCsv(String csv, @Parameter(description = PREFER) @HeaderParam("Prefer") String prefer) {
        return answer(RosterCsv.read(csv), prefer);
    }

    /** Joins every element of a JSON array of join requests. */
    @RolesAllowed(ClusterResource.PUBLISHER)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> importJson(List<JoinRequest> requests,
            @Parameter(description = PREFER) @HeaderParam("Prefer") String prefer) {
        List<RosterCsv.Row> rows = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            JoinRequest request = requests.get(i);
            rows.add(request == null ? new RosterCsv.Row(i + 1, null, null, "not a join request")
                    : new RosterCsv.Row(i + 1, request.name(), request, null));
        }
        return answer(rows, prefer);
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(summary = "An import running in the background", description = "How far an import started with "
            + "Prefer: respond-async got: its state (RUNNING, FINISHED, FAILED with the reason, or INTERRUPTED when "
            + "the replica running it stopped: the rows it joined stay joined, and importing them again finds them "
            + "present), its counts so far, and once it ended each row's result.")
    @APIResponse(responseCode = "200", description = "The import's progress.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportProgress.class)))
    public Uni<Response> progress(@Parameter(description = "The import's id, from its Location") @PathParam("id") UUID id) {
        return BackgroundImport.<BackgroundImport> findById(id).map(found -> found == null
                ? Problem.response(Response.Status.NOT_FOUND, "No such import", "No import has the id " + id)
                : Response.ok(ImportProgress.of(found)).build());
    }

    /** The whole import's results now, or with Prefer: respond-async its progress's record at once. */
    private Uni<Response> answer(List<RosterCsv.Row> rows, String prefer) {
        if (prefer == null || !RESPOND_ASYNC.matcher(prefer).find()) {
            return rosterImport.importRows(rows).map(summary -> Response.ok(summary).build());
        }
        return rosterImport.inBackground(rows).map(started -> Response.accepted(ImportProgress.of(started))
                .location(URI.create("/clusters/import/" + started.id)).header("Preference-Applied", "respond-async")
                .build());
    }

    /** An import's progress as the API shows it. */
    public record ImportProgress(UUID id, String state, int rows, int done, long joined, long alreadyPresent,
            long rejected, String failure, Instant startedAt, Instant updatedAt, Instant finishedAt,
            @Schema(type = SchemaType.ARRAY, implementation = RosterImport.RowResult.class, description = "Each "
                    + "row's result once the import ended; null before") @JsonRawValue String results) {

        static ImportProgress of(BackgroundImport found) {
            return new ImportProgress(found.id, found.state(), found.rows, found.done, found.joined,
                    found.alreadyPresent, found.rejected, found.failure, found.startedAt, found.updatedAt,
                    found.finishedAt, found.results);
        }
    }

    /** A CSV that cannot be read as a whole: a 400 that says where reading stopped. */
    @ServerExceptionMapper
    public Response unreadable(RosterCsv.Unreadable unreadable) {
        return Problem.invalid(unreadable.getMessage()).toResponse();
    }
}
