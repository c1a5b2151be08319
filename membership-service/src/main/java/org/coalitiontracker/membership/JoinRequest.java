package org.coalitiontracker.membership;

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

/**
 * The body of {@code POST /clusters}: a cluster announcing that it joins the coalition. Every bound is one that every
 * consumer downstream holds too (the event contracts' {@link Bounds}), so that what this API accepts is applied.
 */
public record JoinRequest(
        @NotNull @ClusterName String name,
        @NotNull @CountryCode String country,
        @NotNull @CoalitionDate LocalDate joinedOn,
        @NotEmpty @Size(max = Bounds.MAX_SECTORS) List<@NotNull Sector> sectors,
        Boolean portAnchored,
        @NotNull @Figure BigDecimal emissionsReductionMtPerYear,
        @NotNull @PositiveOrZero @Max(Bounds.MAX_JOBS) Long jobs,
        @NotNull @Figure BigDecimal gdpUsdBn,
        @PlainText(max = Bounds.MAX_TEXT_LENGTH) String figuresBasis) {

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
