package org.coalitiontracker.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * PgBouncer (Debian's package) in front of this machine's PostgreSQL, configured as CloudNativePG configures a
 * Pooler's: the Pooler's pool mode and parameters over the operator's defaults, listening on port 5432 as the
 * Pooler's Service does, on a loopback address of its own (127.x.y.z) so that it never meets PostgreSQL's port.
 */
final class PgBouncer implements AutoCloseable {

    /** What CloudNativePG sets unless the Pooler says otherwise (pkg/management/pgbouncer/config). */
    private static final Map<String, String> OPERATOR_DEFAULTS = Map.of("ignore_startup_parameters",
            "extra_float_digits,options");

    private final String host;
    private final Process process;

    private PgBouncer(String host, Process process) {
        this.host = host;
        this.process = process;
    }

    /**
     * @param pooler the rendered Pooler
     * @param users the users clients log in as (PgBouncer knows them from its auth_file; the server trusts them)
     */
    static PgBouncer start(JsonNode pooler, String serverHost, int serverPort, Collection<String> users, Path dir) {
        String name = pooler.path("metadata").path("name").asText();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String host = "127." + random.nextInt(1, 255) + "." + random.nextInt(1, 255) + "." + random.nextInt(2, 255);
        Map<String, String> settings = new LinkedHashMap<>(OPERATOR_DEFAULTS);
        pooler.path("spec").path("pgbouncer").path("parameters").fields()
                .forEachRemaining(parameter -> settings.put(parameter.getKey(), parameter.getValue().asText()));
        settings.put("pool_mode", pooler.path("spec").path("pgbouncer").path("poolMode").asText("session"));
        settings.put("listen_addr", host);
        settings.put("listen_port", "5432");
        settings.put("unix_socket_dir", "");
        settings.put("auth_type", "trust");
        Path config = dir.resolve(name + ".ini");
        Path userList = dir.resolve(name + "-users.txt");
        List<String> lines = new ArrayList<>(List.of("[databases]", "* = host=" + serverHost + " port=" + serverPort,
                "[pgbouncer]", "auth_file = " + userList));
        settings.forEach((key, value) -> lines.add(key + " = " + value));
        try {
            Files.createDirectories(dir);
            Files.write(config, lines);
            Files.write(userList, users.stream().map(user -> "\"" + user + "\" \"\"").toList());
            // PgBouncer will not run as root.
            Process process = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    "pgbouncer", config.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile()).start();
            return new PgBouncer(host, process).awaitListening(dir.resolve(name + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException("PgBouncer did not start (Debian's package pgbouncer; .ci/run installs it)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String host() {
        return host;
    }

    private PgBouncer awaitListening(Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PgBouncer exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, 5432), 500);
                return this;
            } catch (IOException e) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        throw new IllegalStateException("PgBouncer did not listen on " + host + ":5432: " + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
