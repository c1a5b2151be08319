package org.coalitiontracker.localinfra;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The data of cluster events as membership-service writes them, for consumers' tests: each is checked against the
 * producer's contract before it is returned, so a test cannot feed a consumer what the producer would never send.
 */
public final class ContractEvents {

    public static final String JOINED = "org.coalitiontracker.ClusterJoined.v1";
    public static final String REVISED = "org.coalitiontracker.ClusterFiguresRevised.v1";
    public static final String WITHDRAWN = "org.coalitiontracker.ClusterWithdrawn.v1";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ContractEvents() {
    }

    /** A ClusterJoined v1 of a new cluster (version 1), port-anchored, its figures marked apportioned. */
    public static ObjectNode joined(String name, String country, String region, String joinedOn, List<String> sectors,
            String emissions, long jobs, String gdp) {
        ObjectNode event = MAPPER.createObjectNode().put("clusterId", UUID.randomUUID().toString()).put("version", 1)
                .put("name", name).put("country", country).put("region", region).put("joinedOn", joinedOn)
                .put("portAnchored", true).put("emissionsReductionMtPerYear", new BigDecimal(emissions))
                .put("jobs", jobs).put("gdpUsdBn", new BigDecimal(gdp))
                .put("figuresBasis", "apportioned: test figures");
        sectors.forEach(event.putArray("sectors")::add);
        EventContract.clusterJoinedV1().assertKeptBy(event.toString());
        return event;
    }

    /** A ClusterFiguresRevised v1 of the cluster that {@code joined} announced. */
    public static ObjectNode revised(ObjectNode joined, int version, ObjectNode previous, ObjectNode revised) {
        ObjectNode event = placement(joined, version).put("figuresBasis", "apportioned: test figures");
        event.set("previous", previous);
        event.set("revised", revised);
        EventContract.clusterFiguresRevisedV1().assertKeptBy(event.toString());
        return event;
    }

    /** A ClusterWithdrawn v1 of the cluster that {@code joined} announced. */
    public static ObjectNode withdrawn(ObjectNode joined, int version, String withdrawnOn, ObjectNode figures) {
        ObjectNode event = placement(joined, version).put("withdrawnOn", withdrawnOn);
        event.set("figures", figures);
        EventContract.clusterWithdrawnV1().assertKeptBy(event.toString());
        return event;
    }

    public static ObjectNode figures(String emissions, long jobs, String gdp) {
        return MAPPER.createObjectNode().put("emissionsReductionMtPerYear", new BigDecimal(emissions))
                .put("jobs", jobs).put("gdpUsdBn", new BigDecimal(gdp));
    }

    /** What every event of a cluster repeats: who it is and where it counts. */
    private static ObjectNode placement(ObjectNode joined, int version) {
        ObjectNode event = MAPPER.createObjectNode().put("clusterId", joined.get("clusterId").asText())
                .put("version", version);
        for (String field : List.of("country", "region", "joinedOn", "sectors")) {
            event.set(field, joined.get(field).deepCopy());
        }
        return event;
    }
}
