package org.coalitiontracker.membership.imports;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.smallrye.mutiny.Uni;

/** Many clusters joining at once, row by row: each row as a single {@code POST /clusters} would. */
@Path("/clusters/import")
public class RosterImportResource {

    private final RosterImport rosterImport;

    RosterImportResource(RosterImport rosterImport) {
        this.rosterImport = rosterImport;
    }

    /** Joins every row of a roster CSV (the format of the coalition's published roster), row by row. */
    @RolesAllowed(ClusterResource.PUBLISHER)
    @POST
    @Consumes("text/csv")
    @Operation(summary = "Many clusters join at once", description = "Joins every row of a roster, each as a single "
            + "POST /clusters would (its own transaction and event): as CSV in the columns of the coalition's published "
            + "roster (a header row, a UTF-8 byte order mark accepted; sectors separated by semicolons), or as a JSON "
            + "array of join requests. A row that cannot join is reported, not fatal; a row already a member is "
            + "reported as such. Needs a bearer token with the role publisher.")
    @RequestBody(content = {
            @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING), examples = @ExampleObject(name = "Two clusters of the roster", value = RosterCsvExamples.CSV)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = JoinRequest.class), examples = @ExampleObject(name = "Two clusters of the roster", value = RosterCsvExamples.JSON)) })
    @APIResponse(responseCode = "200", description = "What happened to each row: joined, already present or rejected "
            + "(with the reasons).", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RosterImport.Summary.class)))
    public Uni<RosterImport.Summary> importCsv(String csv) {
        return rosterImport.importRows(RosterCsv.read(csv));
    }

    /** Joins every element of a JSON array of join requests, row by row. */
    @RolesAllowed(ClusterResource.PUBLISHER)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RosterImport.Summary> importJson(List<JoinRequest> requests) {
        List<RosterCsv.Row> rows = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            JoinRequest request = requests.get(i);
            rows.add(request == null ? new RosterCsv.Row(i + 1, null, null, "not a join request")
                    : new RosterCsv.Row(i + 1, request.name(), request, null));
        }
        return rosterImport.importRows(rows);
    }

    /** A CSV that cannot be read as a whole: a 400 that says where reading stopped. */
    @ServerExceptionMapper
    public Response unreadable(RosterCsv.Unreadable unreadable) {
        return Problem.invalid(unreadable.getMessage()).toResponse();
    }
}
