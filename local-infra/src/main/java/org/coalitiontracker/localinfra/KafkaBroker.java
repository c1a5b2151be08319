package org.coalitiontracker.localinfra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Kafka broker in a child process, on free ports, for tests: {@link #start()}, {@link #stop()} and
 * {@link #start()} again keep the same ports and data, as a restarted broker would. {@link #close()} stops it for
 * good and deletes a data directory it made itself.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    /** local-kafka's launcher and the line it prints when ready; it is not on this module's classpath. */
    private static final String LAUNCHER = "org.coalitiontracker.localkafka.LocalKafka";
    private static final String READY_LINE = "Local Kafka ready";

    private final Path dir;
    private final boolean ownsDirectory;
    private final int port;
    private final int controllerPort;
    private int saslSslPort;
    private List<String> saslSslOptions = List.of();
    private Process process;

    public KafkaBroker(Path dir) {
        this(dir, false);
    }

    private KafkaBroker(Path dir, boolean ownsDirectory) {
        this.dir = dir;
        this.ownsDirectory = ownsDirectory;
        this.port = FreePorts.next();
        this.controllerPort = FreePorts.next();
    }

    /** A broker with a fresh data directory under the system temporary directory. */
    public static KafkaBroker inFreshDirectory() {
        try {
            return new KafkaBroker(Files.createTempDirectory("coalition-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds a listener as the Kubernetes deployment's brokers have (TLS with SCRAM-SHA-512 clients) and turns ACLs
     * on; {@link #bootstrapServers()} stays the plaintext listener of a super user, for the tests' administration.
     *
     * @param keystore the broker's key and certificate (PKCS12), signed by the CA its clients trust
     */
    public KafkaBroker withSaslSsl(Path keystore, String keystorePassword) {
        saslSslPort = FreePorts.next();
        saslSslOptions = List.of("--sasl-ssl-port", String.valueOf(saslSslPort), "--keystore", keystore.toString(),
                "--keystore-password", keystorePassword);
        return this;
    }

    /** The broker's process id, for harnesses that read its CPU time. */
    public synchronized long pid() {
        return process.pid();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The TLS and SCRAM-SHA-512 listener of {@link #withSaslSsl}. */
    public String saslSslBootstrapServers() {
        if (saslSslOptions.isEmpty()) {
            throw new IllegalStateException("This broker has no SASL_SSL listener: see withSaslSsl");
        }
        return "127.0.0.1:" + saslSslPort;
    }

    public synchronized KafkaBroker start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        Path log = dir.resolve("broker.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xms128m", "-Xmx512m", "-cp", brokerClasspath()));
        command.addAll(List.of(LAUNCHER, "--dir", dir.toString(),
                "--port", String.valueOf(port), "--controller-port", String.valueOf(controllerPort)));
        command.addAll(saslSslOptions);
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(log);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            awaitReady(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
        if (ownsDirectory) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void awaitReady(Path log) throws IOException {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains(READY_LINE)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The Kafka broker exited at start-up; see " + log);
            }
            pause();
        }
        stop();
        throw new IllegalStateException("The Kafka broker did not start within " + STARTUP_TIMEOUT + "; see " + log);
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The launcher's classes and the broker jars that the local-kafka build copies next to them. */
    private static String brokerClasspath() {
        String home = System.getProperty("local-kafka.home");
        if (home == null) {
            throw new IllegalStateException("Set -Dlocal-kafka.home to local-kafka/target (the root pom does this for tests)");
        }
        Path target = Path.of(home);
        if (!Files.isDirectory(target.resolve("broker-lib"))) {
            throw new IllegalStateException(
                    target.resolve("broker-lib") + " is missing: build local-kafka first (./mvnw package)");
        }
        return target.resolve("classes") + File.pathSeparator + target.resolve("broker-lib").resolve("*");
    }
}
