package org.coalitiontracker.membership.imports;

/** The import's examples in the OpenAPI document: two rows of the coalition's published roster. */
final class RosterCsvExamples {

    static final String CSV = """
            name,country,joined_on,sectors,port_anchored,emissions_reduction_mt_per_year,jobs,gdp_usd_bn,figures_basis,source
            Zero Carbon Humber,GB,2021-11-02,CCS;HYDROGEN;REFINING;POWER,,41.750,137500,22.750,apportioned: equal share of the published total of its joining wave,COP26 founder
            Port of Rotterdam,NL,2025-01-22,PORT_LOGISTICS;REFINING;CHEMICALS,true,15.846,69231,10.000,apportioned: equal share of the published total of its joining wave,WEF release 2025-01-22
            """;

    static final String JSON = """
            [{"name": "Zero Carbon Humber", "country": "GB", "joinedOn": "2021-11-02",
              "sectors": ["CCS", "HYDROGEN", "REFINING", "POWER"], "emissionsReductionMtPerYear": 41.750,
              "jobs": 137500, "gdpUsdBn": 22.750},
             {"name": "Port of Rotterdam", "country": "NL", "joinedOn": "2025-01-22",
              "sectors": ["PORT_LOGISTICS", "REFINING", "CHEMICALS"], "portAnchored": true,
              "emissionsReductionMtPerYear": 15.846, "jobs": 69231, "gdpUsdBn": 10.000}]""";

    private RosterCsvExamples() {
    }
}
