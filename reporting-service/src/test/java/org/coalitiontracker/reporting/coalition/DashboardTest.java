package org.coalitiontracker.reporting.coalition;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The dashboard is served by the service itself, whole: the machines it runs on may have no internet. */
@QuarkusTest
class DashboardTest {

    private static final Pattern EXTERNAL = Pattern
            .compile("(src|href)\\s*=\\s*[\"']?(https?:)?//|url\\(\\s*['\"]?(https?:)?//|fetch\\(\\s*['\"](https?:)?//");

    @Test
    void thePageAndEveryAssetItUsesComeFromTheServiceWithNothingFromElsewhere() {
        String page = given().when().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("the coalition, live")).extract().asString();
        assertThat(page).contains("dashboard.js", "dashboard.css");
        for (String asset : List.of("/dashboard.js", "/dashboard.css", "/favicon.svg", "/world-map.json")) {
            String body = given().when().get(asset).then().statusCode(200).extract().asString();
            assertThat(EXTERNAL.matcher(body).find()).as(asset + " loads nothing from another host").isFalse();
        }
        assertThat(EXTERNAL.matcher(page).find()).as("the page loads nothing from another host").isFalse();
    }

    @Test
    void thePageIsRevalidatedOnEveryLoadAndItsAssetsAreNamedByTheirContent() {
        Response first = given().when().get("/");
        first.then().statusCode(200).header("Cache-Control", "no-cache").header("ETag", notNullValue());
        given().header("If-None-Match", first.header("ETag")).when().get("/").then().statusCode(304);
        given().when().get("/index.html").then().statusCode(200).header("ETag", first.header("ETag"));

        Matcher script = Pattern.compile("src=\"(dashboard\\.js\\?v=[0-9a-f]{16})\"").matcher(first.asString());
        Matcher styles = Pattern.compile("href=\"(dashboard\\.css\\?v=[0-9a-f]{16})\"").matcher(first.asString());
        assertThat(script.find()).as("the script is named by its content").isTrue();
        assertThat(styles.find()).as("the style sheet is named by its content").isTrue();
        String maxAge = given().when().get("/" + script.group(1)).then().statusCode(200).extract()
                .header("Cache-Control");
        assertThat(maxAge).contains("max-age=31536000");
    }

    /** The map is built from the npm package world-atlas at build time: every country, keyed as events key them. */
    @Test
    void theWorldMapIsBundledWithEveryCountryKeyedByItsIsoCode() {
        Matcher map = Pattern.compile("data-src=\"(world-map\\.json\\?v=[0-9a-f]{16})\"")
                .matcher(given().when().get("/").asString());
        assertThat(map.find()).as("the map is named by its content").isTrue();
        JsonPath world = given().when().get("/" + map.group(1)).then().statusCode(200)
                .contentType(containsString("application/json")).extract().jsonPath();
        assertThat(world.getString("source")).contains("Natural Earth", "world-atlas");
        assertThat(world.getList("countries.code")).hasSizeGreaterThan(170)
                .contains("AU", "BR", "CO", "GB", "IN", "NL", "SA", "SE", "TH", "US", "FR", "NO");
        assertThat(world.getList("countries.path", String.class)).allMatch(path -> path.matches("M[0-9. LMZ-]+Z"));
    }

    @Test
    void thePageLoadsNothingFromElsewhereAndIsFramedNowhereAndNothingIsSniffed() {
        given().when().get("/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff");
        given().when().get("/dashboard.js").then().statusCode(200).header("X-Content-Type-Options", "nosniff");
        given().when().get("/coalition").then().header("X-Content-Type-Options", "nosniff");
    }
}
