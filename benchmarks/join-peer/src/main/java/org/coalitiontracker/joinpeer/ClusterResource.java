package org.coalitiontracker.joinpeer;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.coalitiontracker.contracts.Bounds;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /clusters} as the Quarkus team's rest-heroes writes a create: the body validated, one entity persisted in
 * {@code @WithTransaction}, 201 with the entity. It takes the same body and bearer token as membership-service and
 * holds the same bounds with the standard constraints; it has no duplicate check, no idempotency key and no outbox.
 */
@Path("/clusters")
public class ClusterResource {

    /** The body of membership-service's join, with the same bounds. */
    public record JoinRequest(
            @NotBlank @Size(max = Bounds.MAX_NAME_LENGTH) @Pattern(regexp = "\\P{Cc}*") String name,
            @NotNull @Pattern(regexp = "[A-Z]{2}") String country,
            @NotNull @PastOrPresent LocalDate joinedOn,
            @NotEmpty @Size(max = Bounds.MAX_SECTORS) List<@NotNull @Pattern(regexp = "[A-Z_]{1,32}") String> sectors,
            Boolean portAnchored,
            @NotNull @DecimalMin("0") @DecimalMax(Bounds.MAX_FIGURE_TEXT) @Digits(integer = 5, fraction = 3) BigDecimal emissionsReductionMtPerYear,
            @NotNull @PositiveOrZero @Max(Bounds.MAX_JOBS) Long jobs,
            @NotNull @DecimalMin("0") @DecimalMax(Bounds.MAX_FIGURE_TEXT) @Digits(integer = 5, fraction = 3) BigDecimal gdpUsdBn,
            @Size(max = Bounds.MAX_TEXT_LENGTH) String figuresBasis) {
    }

    @POST
    @RolesAllowed("publisher")
    @WithTransaction
    public Uni<Response> join(@Valid @NotNull JoinRequest request) {
        Cluster cluster = new Cluster();
        cluster.id = UUID.randomUUID();
        cluster.name = request.name().strip();
        cluster.country = request.country();
        cluster.joinedOn = request.joinedOn();
        cluster.sectors = request.sectors().toArray(String[]::new);
        cluster.portAnchored = request.portAnchored();
        cluster.emissionsReductionMtPerYear = request.emissionsReductionMtPerYear();
        cluster.jobs = request.jobs();
        cluster.gdpUsdBn = request.gdpUsdBn();
        cluster.figuresBasis = request.figuresBasis();
        cluster.version = 1;
        cluster.recordedAt = Instant.now();
        return cluster.<Cluster> persist()
                .map(stored -> Response.created(URI.create("/clusters/" + stored.id)).entity(stored).build());
    }
}
