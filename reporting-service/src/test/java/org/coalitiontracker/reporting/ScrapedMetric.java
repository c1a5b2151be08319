package org.coalitiontracker.reporting;

import io.restassured.RestAssured;

/** A metric as Prometheus scrapes it from this service's {@code /q/metrics}. */
public final class ScrapedMetric {

    private ScrapedMetric() {
    }

    /** The value of a metric without tags (before any exemplar); 0 before it is recorded. */
    public static double value(String name) {
        return RestAssured.get("/q/metrics").then().extract().asString().lines()
                .filter(line -> line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).trim().split(" ")[0])).findFirst()
                .orElse(0);
    }
}
