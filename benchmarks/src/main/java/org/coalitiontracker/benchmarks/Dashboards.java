package org.coalitiontracker.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.coalitiontracker.localinfra.ServiceProcess;

/**
 * Open dashboards while the roster changes. After each change that the stream announces, every page asks again for
 * its breakdowns, its directory page, the history and the totals as of its chosen date, all at once and each with the
 * ETag it was last given, as a browser revalidates: dashboard.js's {@code refreshSoon}, which asks 300 ms after the
 * last event of a change, by when the change's other scopes (its country's, sectors', ...) have come too. Each refresh
 * is timed from the moment the pages ask until each page has all its answers. The peer is the same pages asking
 * reporting-service's {@code /q/health/live} (constant JSON, same process) as many times at once, between the changes:
 * the floor of this machine for that many requests in one burst.
 */
final class Dashboards {

    /**
     * What a page asks for after a change (dashboard.js's refreshBreakdowns, refreshDirectory, refreshHistory and
     * refreshThen).
     */
    static final List<String> REFRESH = List.of("/coalition/countries", "/coalition/regions", "/coalition/sectors",
            "/coalition/cohorts", "/clusters?size=10", "/coalition/history", "/coalition?asOf=2025-01-22");
    /** The page's wait after a change's event before it asks (dashboard.js: refreshSoon). */
    private static final long DEBOUNCE_MS = 300;
    /**
     * Changes before those that are timed: the first answers of a new size are computed while the JIT still compiles.
     */
    private static final int WARM_UP_CHANGES = 3;

    /** Makes one change to the roster: one more cluster in the coalition's totals. */
    @FunctionalInterface
    interface Change {
        void make() throws Exception;
    }

    /**
     * Nanoseconds from the pages' asking to each page's last answer, sorted, and the peer's; how many of a refresh's
     * answers were new (200, not 304), and their bytes.
     */
    record Figures(List<Long> refreshed, List<Long> peer, double changedPerRefresh, long bytesPerRefresh) {

        double p50() {
            return Load.percentile(refreshed, 0.50);
        }

        double p99() {
            return Load.percentile(refreshed, 0.99);
        }

        double peerP50() {
            return Load.percentile(peer, 0.50);
        }

        double peerP99() {
            return Load.percentile(peer, 0.99);
        }
    }

    private Dashboards() {
    }

    /**
     * Opens {@code dashboards} pages on {@code reporting}, whose coalition has {@code clusters} now, and times their
     * refresh after each of {@code changes} changes, after {@link #WARM_UP_CHANGES} that are not timed.
     */
    static Figures measure(ServiceProcess reporting, int dashboards, int changes, long clusters, Change change)
            throws Exception {
        List<URI> refresh = REFRESH.stream().map(path -> URI.create(reporting.baseUri() + path)).toList();
        List<URI> constant = REFRESH.stream().map(path -> URI.create(reporting.managementUri() + "/q/health/live"))
                .toList();
        List<Dashboard> pages = new ArrayList<>();
        for (int i = 0; i < dashboards; i++) {
            pages.add(new Dashboard());
        }
        Map<Long, CompletableFuture<Long>> announced = new ConcurrentHashMap<>();
        StreamListeners.Arrival arrival = (client, count, at) -> announced
                .computeIfAbsent(count, key -> new CompletableFuture<>()).complete(at);
        List<Long> refreshed = new ArrayList<>();
        List<Long> peer = new ArrayList<>();
        try (StreamListeners stream = new StreamListeners(URI.create(reporting.baseUri() + "/coalition/stream"), 1, 1,
                arrival)) {
            // As the pages open: the answers, and their ETags, that the refreshes revalidate.
            burst(pages, refresh);
            burst(pages, constant);
            for (int i = -WARM_UP_CHANGES; i < changes; i++) {
                if (i == 0) {
                    pages.forEach(Dashboard::startCounting);
                }
                change.make();
                announced.computeIfAbsent(++clusters, key -> new CompletableFuture<>()).get(2, TimeUnit.MINUTES);
                TimeUnit.MILLISECONDS.sleep(DEBOUNCE_MS);
                List<Long> byPage = burst(pages, refresh);
                TimeUnit.MILLISECONDS.sleep(100);
                List<Long> byPeer = burst(pages, constant);
                if (i >= 0) {
                    refreshed.addAll(byPage);
                    peer.addAll(byPeer);
                }
            }
        }
        refreshed.sort(null);
        peer.sort(null);
        long refreshes = (long) dashboards * changes;
        return new Figures(refreshed, peer, pages.stream().mapToLong(page -> page.changed).sum() / (double) refreshes,
                pages.stream().mapToLong(page -> page.bytes).sum() / refreshes);
    }

    /** Every page asks for all {@code uris} at once; answers the ns until each page had all. */
    private static List<Long> burst(List<Dashboard> pages, List<URI> uris) {
        long asked = System.nanoTime();
        List<CompletableFuture<Long>> done = pages.stream().map(page -> page.ask(uris)
                .thenApply(ignored -> System.nanoTime() - asked)).toList();
        return done.stream().map(CompletableFuture::join).toList();
    }

    /** One open page: its own connections, as a browser's, and the ETags it was last given. */
    private static final class Dashboard {

        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final Map<URI, String> etags = new ConcurrentHashMap<>();
        /** The service's new answers (200) since {@link #startCounting()}, and their bytes. */
        private long changed;
        private long bytes;

        CompletableFuture<Void> ask(List<URI> uris) {
            return CompletableFuture.allOf(uris.stream().map(uri -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json");
                String etag = etags.get(uri);
                if (etag != null) {
                    request.header("If-None-Match", etag);
                }
                return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenAccept(
                        response -> answered(uri, response));
            }).toArray(CompletableFuture[]::new));
        }

        /** From the first timed change on: what the pages' opening and the untimed changes got is not counted. */
        synchronized void startCounting() {
            changed = 0;
            bytes = 0;
        }

        private synchronized void answered(URI uri, HttpResponse<byte[]> response) {
            if (response.statusCode() != 200 && response.statusCode() != 304) {
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            response.headers().firstValue("ETag").ifPresent(etag -> etags.put(uri, etag));
            if (!uri.getPath().startsWith("/q/") && response.statusCode() == 200) {
                changed++;
                bytes += response.body().length;
            }
        }
    }
}
