package org.coalitiontracker.metrics.totals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * What this service reads of a {@code ClusterJoined} v1 event (contract: membership-service's
 * cluster-joined-v1.schema.json). Fields it does not need are ignored.
 */
public record ClusterJoined(UUID clusterId, int version, String country, LocalDate joinedOn, List<String> sectors,
        BigDecimal emissionsReductionMtPerYear, long jobs, BigDecimal gdpUsdBn) {

    public static final String TYPE = "org.coalitiontracker.ClusterJoined.v1";
}
