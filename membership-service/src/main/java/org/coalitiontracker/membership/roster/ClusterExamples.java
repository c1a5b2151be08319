package org.coalitiontracker.membership.roster;

/**
 * The examples of the OpenAPI document: the Port of Rotterdam as the coalition's roster has it (figures apportioned
 * from its joining wave). ApiDocumentTest posts the join example and expects it accepted.
 */
final class ClusterExamples {

    static final String JOIN = """
            {"name": "Port of Rotterdam", "country": "NL", "joinedOn": "2025-01-22",
             "sectors": ["PORT_LOGISTICS", "REFINING", "CHEMICALS"], "portAnchored": true,
             "emissionsReductionMtPerYear": 15.846, "jobs": 69231, "gdpUsdBn": 10.000,
             "figuresBasis": "apportioned: equal share of the published total of its joining wave"}""";

    static final String CLUSTER = """
            {"clusterId": "0b9f4a52-6f0e-4f7e-9a53-3f1c2d7c8e21", "name": "Port of Rotterdam", "country": "NL",
             "region": "EUROPE", "joinedOn": "2025-01-22", "sectors": ["PORT_LOGISTICS", "REFINING", "CHEMICALS"],
             "portAnchored": true, "emissionsReductionMtPerYear": 15.846, "jobs": 69231, "gdpUsdBn": 10.000,
             "figuresBasis": "apportioned: equal share of the published total of its joining wave",
             "withdrawnOn": null, "version": 1, "id": "0b9f4a52-6f0e-4f7e-9a53-3f1c2d7c8e21"}""";

    static final String REVISION = """
            {"emissionsReductionMtPerYear": 16.200, "jobs": 70500, "gdpUsdBn": 10.400,
             "figuresBasis": "self-reported 2025"}""";

    static final String WITHDRAWAL = """
            {"withdrawnOn": "2025-06-30", "reason": "left the programme"}""";

    private ClusterExamples() {
    }
}
