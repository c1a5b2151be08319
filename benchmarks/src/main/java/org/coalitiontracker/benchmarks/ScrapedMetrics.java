package org.coalitiontracker.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.coalitiontracker.localinfra.ServiceProcess;

/** What a service's {@code /q/metrics} said at one moment, in Prometheus' text format. */
record ScrapedMetrics(String text) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static ScrapedMetrics of(ServiceProcess service) throws IOException, InterruptedException {
        return new ScrapedMetrics(HTTP.send(HttpRequest.newBuilder(URI.create(service.managementUri() + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** A metric's sum over its series; a line's value is the last field before any exemplar (" # {...}"). */
    double sum(String name) {
        return sum(name, "");
    }

    /** The sum over the metric's series whose labels contain {@code label} (such as {@code action="end of major GC"}). */
    double sum(String name, String label) {
        return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .filter(line -> line.contains(label))
                .map(line -> line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line)
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
