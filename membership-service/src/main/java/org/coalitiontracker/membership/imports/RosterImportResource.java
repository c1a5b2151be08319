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
