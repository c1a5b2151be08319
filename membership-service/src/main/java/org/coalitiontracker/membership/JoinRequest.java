package org.coalitiontracker.membership;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /clusters}: a cluster announcing that it joins the coalition. */
public record JoinRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull @CountryCode String country,
        @NotNull @PastOrPresent LocalDate joinedOn,
        @NotEmpty List<@NotNull Sector> sectors,
        Boolean portAnchored,
        @NotNull @PositiveOrZero @Digits(integer = 9, fraction = 3) BigDecimal emissionsReductionMtPerYear,
        @NotNull @PositiveOrZero Long jobs,
        @NotNull @PositiveOrZero @Digits(integer = 9, fraction = 3) BigDecimal gdpUsdBn,
        @Size(max = 500) String figuresBasis) {

    Cluster toCluster() {
        Cluster cluster = new Cluster();
        cluster.id = UUID.randomUUID();
        cluster.name = name.strip();
        cluster.nameKey = Cluster.nameKey(name);
        cluster.country = country;
        cluster.joinedOn = joinedOn;
        cluster.sectors = sectors.stream().distinct().map(Sector::name).toArray(String[]::new);
        cluster.portAnchored = portAnchored;
        cluster.emissionsReductionMtPerYear = emissionsReductionMtPerYear;
        cluster.jobs = jobs;
        cluster.gdpUsdBn = gdpUsdBn;
        cluster.figuresBasis = figuresBasis == null || figuresBasis.isBlank() ? null : figuresBasis.strip();
        cluster.version = 1;
        cluster.recordedAt = Instant.now();
        return cluster;
    }
}
