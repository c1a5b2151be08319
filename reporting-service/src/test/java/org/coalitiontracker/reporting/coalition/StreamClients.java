package org.coalitiontracker.reporting.coalition;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Clients of {@code GET /coalition/stream} as a browser's EventSource reads it: line by line, as the lines come. */
final class StreamClients implements AutoCloseable {

    private final URL stream;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<CompletableFuture<?>> connections = new ArrayList<>();

    StreamClients(URL stream) {
        this.stream = stream;
    }

    /** A new client's lines, from the stream's start after the given Last-Event-ID (none if null). */
    BlockingQueue<String> open(String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stream.toString()))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        connections.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> {
                    assertThat(response.statusCode()).isEqualTo(200);
                    response.body().forEach(lines::add);
                }));
        return lines;
    }

    /** The first line within 20 s that matches, or null. */
    static String next(BlockingQueue<String> lines, Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null && wanted.test(line)) {
                return line;
            }
        }
        return null;
    }

    @Override
    public void close() {
        connections.forEach(connection -> connection.cancel(true));
    }
}
