package org.coalitiontracker.membership;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.coalitiontracker.localinfra.DevelopmentTokens;
import org.coalitiontracker.localinfra.InjectLocalInfra;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Real bearer tokens, verified against the public key the service was given: writes need the role publisher. */
@QuarkusTest
class AuthTest {

    @InjectLocalInfra
    DevelopmentTokens tokens;

    @Test
    void aPublisherMayJoin() {
        join(given().auth().oauth2(tokens.token("membership-publisher", "publisher")), "Auth Cluster Good")
                .then().statusCode(201);
    }

    @Test
    void withoutATokenAWriteIsUnauthorized() {
        join(given(), "Auth Cluster Anonymous")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer"))
                .contentType("application/problem+json");
    }

    @Test
    void anExpiredTokenIsUnauthorized() {
        join(given().auth().oauth2(tokens.expiredToken("membership-publisher", "publisher")), "Auth Cluster Expired")
                .then().statusCode(401);
    }

    @Test
    void aTokenStopsWorkingAsItExpiresThoughItWasUsedBefore() {
        String token = tokens.tokenValidFor(Duration.ofSeconds(3), "membership-publisher", "publisher");
        join(given().auth().oauth2(token), "Auth Cluster Brief Once").then().statusCode(201);
        join(given().auth().oauth2(token), "Auth Cluster Brief Twice").then().statusCode(201);
        // Its exp is in whole seconds, and the test profile allows a second of clock skew: refused within 5 s.
        AtomicInteger attempt = new AtomicInteger();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> join(given().auth().oauth2(token), "Auth Cluster Brief " + attempt.incrementAndGet())
                        .statusCode() == 401);
    }

    @Test
    void aTokenMeantForAnotherSystemIsUnauthorized() {
        join(given().auth().oauth2(tokens.tokenFor("https://another-system.example", "membership-publisher",
                "publisher")), "Auth Cluster Other Audience").then().statusCode(401);
    }

    @Test
    void aTokenIssuedForTooLongIsUnauthorized() {
        join(given().auth().oauth2(tokens.tokenValidFor(Duration.ofDays(36_500), "membership-publisher",
                "publisher")), "Auth Cluster Century").then().statusCode(401);
        join(given().auth().oauth2(tokens.tokenValidFor(Duration.ofHours(23), "membership-publisher", "publisher")),
                "Auth Cluster Day").then().statusCode(201);
    }

    @Test
    void aTokenSignedByAnotherKeyIsUnauthorized() {
        join(given().auth().oauth2(DevelopmentTokens.tokenSignedByAnotherKey("intruder", "publisher")),
                "Auth Cluster Forged")
                .then().statusCode(401);
    }

    @Test
    void aTokenWithoutThePublisherRoleIsForbidden() {
        join(given().auth().oauth2(tokens.token("dashboard", "reader")), "Auth Cluster Reader")
                .then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(tokens.token("dashboard", "reader")).contentType("text/csv").body("name\n")
                .when().post("/clusters/import")
                .then().statusCode(403);
    }

    @Test
    void readsNeedNoToken() {
        given().when().get("/clusters").then().statusCode(200);
        given().when().get("/roster/summary").then().statusCode(200);
    }

    private static io.restassured.response.Response join(RequestSpecification request, String name) {
        return request.contentType(ContentType.JSON)
                .body(Map.of("name", name, "country", "IE", "joinedOn", "2024-02-01", "sectors", List.of("POWER"),
                        "emissionsReductionMtPerYear", 1, "jobs", 1, "gdpUsdBn", 1))
                .when().post("/clusters");
    }
}
