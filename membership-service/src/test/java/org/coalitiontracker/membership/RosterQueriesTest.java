package org.coalitiontracker.membership;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

@QuarkusTest
@TestSecurity(user = "test-publisher", roles = "publisher")
class RosterQueriesTest {

    private static final Path SHARED = Path.of(System.getProperty("coalition.root"), "..", "shared", "data");

    @BeforeEach
    void theRosterIsLoaded() throws IOException {
        given().contentType("text/csv").body(Files.readString(SHARED.resolve("coalition-roster.csv")))
                .when().post("/clusters/import")
                .then().statusCode(200);
    }

    /** The published totals before the test clusters' dates (2024 and later): the roster alone. */
    @ParameterizedTest(name = "as of {0}")
    @CsvSource({ "2021-11-01, 0, 0, 0, 0, 0", "2022-05-24, 8, 6, 334, 1100000, 182", "2023-01-19, 17, 9,,," })
    void theSummaryAsOfAPublishedDateGivesThePublishedTotals(String asOf, long clusters, long countries,
            BigDecimal emissions, Long jobs, BigDecimal gdp) {
        JsonPath summary = given().queryParam("asOf", asOf).when().get("/roster/summary")
                .then().statusCode(200).extract().jsonPath()
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        assertThat(summary.getString("asOf")).isEqualTo(asOf);
        assertThat(summary.getLong("clusters")).isEqualTo(clusters);
        assertThat(summary.getLong("countries")).isEqualTo(countries);
        if (emissions != null) {
            assertThat(summary.getObject("emissionsReductionMtPerYear", BigDecimal.class)).isEqualByComparingTo(emissions);
            assertThat(summary.getLong("jobs")).isEqualTo(jobs);
            assertThat(summary.getObject("gdpUsdBn", BigDecimal.class)).isEqualByComparingTo(gdp);
        }
    }

    @Test
    void pagesCoverTheRosterOnceInJoiningOrder() {
        int total = given().when().get("/clusters").then().statusCode(200).extract().path("total");
        List<String> ids = new ArrayList<>();
        List<String> joinedOn = new ArrayList<>();
        for (int page = 0; page * 7 < total; page++) {
            JsonPath body = given().queryParam("page", page).queryParam("size", 7).when().get("/clusters")
                    .then().statusCode(200).extract().jsonPath();
            ids.addAll(body.getList("clusters.id"));
            joinedOn.addAll(body.getList("clusters.joinedOn"));
        }
        assertThat(ids).hasSize(total).doesNotHaveDuplicates();
        assertThat(joinedOn).isSorted();
        assertThat(total).isGreaterThanOrEqualTo(33);
    }

    @Test
    void theRosterFiltersByCountryAndBySector() {
        given().queryParam("country", "IN").queryParam("size", 200).when().get("/clusters")
                .then().statusCode(200)
                .body("clusters.country", everyItem(equalTo("IN")))
                .body("clusters.name", hasItem("Kerala Green Hydrogen Valley"));
        given().queryParam("sector", "CEMENT").queryParam("size", 200).when().get("/clusters")
                .then().statusCode(200)
                .body("clusters.sectors", everyItem(hasItem("CEMENT")))
                .body("clusters.name", hasItem("Saraburi Sandbox"));
    }

    @ParameterizedTest(name = "{0}={1} is a bad request")
    @CsvSource({ "country, India", "sector, WIZARDRY", "page, -1", "size, 0", "size, 1000", "size, abc",
            "page, 2147483647", "page, 1e3" })
    void badQueriesAreProblemsNamingTheParameter(String parameter, String value) {
        given().queryParam(parameter, value).when().get("/clusters")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem(parameter));
    }
}
