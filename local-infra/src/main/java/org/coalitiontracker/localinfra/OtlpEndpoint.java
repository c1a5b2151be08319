package org.coalitiontracker.localinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OTLP/HTTP endpoint on a free local port, where services export their spans as they would to an OpenTelemetry
 * Collector (with {@code QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf}). Each export's body (protobuf,
 * gzip undone) goes to the reader given; one the reader cannot take is answered 400 and kept in {@link #failures()}.
 */
public final class OtlpEndpoint implements AutoCloseable {

    /** What is done with the body of each export. */
    @FunctionalInterface
    public interface ExportReader {
        void read(InputStream body) throws IOException;
    }

    private final HttpServer server;
    private final ExportReader reader;
    private final List<Exception> failures = new CopyOnWriteArrayList<>();

    private OtlpEndpoint(HttpServer server, ExportReader reader) {
        this.server = server;
        this.reader = reader;
    }

    public static OtlpEndpoint start(ExportReader reader) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OtlpEndpoint endpoint = new OtlpEndpoint(server, reader);
            // Every path: OTLP/HTTP posts traces to /v1/traces under the endpoint, and only traces are exported.
            server.createContext("/", endpoint::receive);
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a service sets OTEL_EXPORTER_OTLP_ENDPOINT to. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The exports the reader could not take. */
    public List<Exception> failures() {
        return List.copyOf(failures);
    }

    private void receive(HttpExchange exchange) throws IOException {
        int status = 200;
        try (InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                ? new GZIPInputStream(exchange.getRequestBody())
                : exchange.getRequestBody()) {
            reader.read(body);
        } catch (IOException | RuntimeException | LinkageError e) {
            failures.add(e instanceof Exception exception ? exception : new IllegalStateException(e));
            status = 400;
        }
        // An empty ExportTraceServiceResponse is no bytes at all.
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
