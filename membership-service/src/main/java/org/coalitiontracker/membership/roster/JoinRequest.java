package org.coalitiontracker.membership.roster;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.coalitiontracker.contracts.Bounds;
import org.coalitiontracker.problems.PlainText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /clusters}: a cluster announcing that it joins the coalition. Every bound is one that every
 * consumer downstream holds too (the event contracts' {@link Bounds}), so that what this API accepts is applied.
 */
public record JoinRequest(
        @Schema(maxLength = Bounds.MAX_NAME_LENGTH, example = "Porto do Açu Low Carbon Hub", description = "Plain "
                + "text: no control characters, at least one visible character, at most 200 characters. Two names "
                + "that differ only in case, accents, spacing or invisible characters are the same cluster.") @NotNull @ClusterName String name,
        @Schema(example = "BR", description = "ISO 3166-1 alpha-2") @NotNull @CountryCode String country,
        @Schema(example = "2025-01-22", description = JoinRequest.DATE) @NotNull @CoalitionDate LocalDate joinedOn,
        @NotEmpty @Size(max = Bounds.MAX_SECTORS) List<@NotNull Sector> sectors,
        Boolean portAnchored,
        @Schema(minimum = "0", maximum = Bounds.MAX_FIGURE_TEXT, multipleOf = 0.001, example = "15.846", description = "MtCO2e a year, exact to the thousandth") @NotNull @Figure BigDecimal emissionsReductionMtPerYear,
        @Schema(minimum = "0", maximum = "10000000", example = "69231") @NotNull @PositiveOrZero @Max(Bounds.MAX_JOBS) Long jobs,
        @Schema(minimum = "0", maximum = Bounds.MAX_FIGURE_TEXT, multipleOf = 0.001, example = "10.000", description = "USD billions, exact to the thousandth") @NotNull @Figure BigDecimal gdpUsdBn,
        @Schema(maxLength = Bounds.MAX_TEXT_LENGTH, example = "self-reported 2024") @PlainText(max = Bounds.MAX_TEXT_LENGTH) String figuresBasis) {

    /** How the API describes a date it takes. */
    static final String DATE = "From 1900-01-01 to today (today anywhere on Earth)";

    Cluster toCluster() {
        Cluster cluster = new Cluster();
        cluster.id = UUID.randomUUID();
        cluster.name = name.strip();
        cluster.nameKey = Cluster.nameKey(name);
        cluster.country = country;
        cluster.joinedOn = joinedOn;
        cluster.sectors = sectors.stream().distinct().map(Sector::name).toArray(String[]::new);
        cluster.portAnchored = portAnchored;
        cluster.emissionsReductionMtPerYear = Cluster.stored(emissionsReductionMtPerYear);
        cluster.jobs = jobs;
        cluster.gdpUsdBn = Cluster.stored(gdpUsdBn);
        cluster.figuresBasis = figuresBasis == null || figuresBasis.isBlank() ? null : figuresBasis.strip();
        cluster.version = 1;
        cluster.recordedAt = Instant.now();
        return cluster;
    }
}
