package org.coalitiontracker.reporting.coalition;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

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
        for (String asset : List.of("/dashboard.js", "/dashboard.css")) {
            String body = given().when().get(asset).then().statusCode(200).extract().asString();
            assertThat(EXTERNAL.matcher(body).find()).as(asset + " loads nothing from another host").isFalse();
        }
        assertThat(EXTERNAL.matcher(page).find()).as("the page loads nothing from another host").isFalse();
    }
}
