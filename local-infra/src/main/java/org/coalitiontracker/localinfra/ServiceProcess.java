package org.coalitiontracker.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One of the services, run from its packaged jar as its own process, configured by environment variables. */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern IMAGE_VARIABLE = Pattern.compile("([A-Z_][A-Z0-9_]*)=(?:\"([^\"]*)\"|(\\S*))");

    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, int managementPort, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code <module>/target/quarkus-app/quarkus-run.jar} on a free port.
     *
     * @param portVariable the environment variable the service reads its HTTP port from
     */
    public static ServiceProcess start(String module, String portVariable, Map<String, String> environment) {
        return start(module, module, portVariable, environment);
    }

    /**
     * Starts one instance of a module, with its log in {@code target/service-logs/<instance>.log}: several
     * instances of one service each keep their own.
     */
    public static ServiceProcess start(String module, String instance, String portVariable,
            Map<String, String> environment) {
        Path root = Path.of(System.getProperty("coalition.root"));
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw verify does)");
        }
        int port = FreePorts.next();
        Path log = Path.of("target", "service-logs", instance + ".log").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of(java, "-XX:MaxRAM=512m"));
            command.addAll(imageJavaOptions(root));
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(imageEnvironment(root));
            builder.environment().putAll(environment);
            builder.environment().put(portVariable, String.valueOf(port));
            // Health and metrics listen on a port of their own, as in a pod: MEMBERSHIP_MANAGEMENT_PORT and the like.
            int managementPort = FreePorts.next();
            builder.environment().put(portVariable.replace("_HTTP_PORT", "_MANAGEMENT_PORT"), String.valueOf(managementPort));
            return new ServiceProcess(instance, port, managementPort, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JVM options of the services' image (deploy/container/jvm.env): run with {@code -XX:MaxRAM} at the pods'
     * memory limit, the services size their memory as they do in a pod.
     */
    public static List<String> imageJavaOptions(Path root) throws IOException {
        return Arrays.asList(imageEnvironment(root).get("JAVA_OPTS_APPEND").trim().split("\\s+"));
    }

    /**
     * The variables the image exports from deploy/container/jvm.env (MALLOC_ARENA_MAX among them), as sourcing it
     * with {@code set -a} gives them: one {@code NAME=value} a line, the value in double quotes if it has spaces.
     */
    public static Map<String, String> imageEnvironment(Path root) throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String line : Files.readAllLines(root.resolve("deploy/container/jvm.env"))) {
            Matcher variable = IMAGE_VARIABLE.matcher(line);
            if (variable.matches()) {
                variables.put(variable.group(1), variable.group(2) != null ? variable.group(2) : variable.group(3));
            }
        }
        return variables;
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    /** Where its health checks, metrics and OpenAPI document are: the management interface. */
    public String managementUri() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** Its process id, for harnesses that read its CPU time. */
    public long pid() {
        return process.pid();
    }

    /** The instance's name: its module's, or the one it was started under. */
    public String name() {
        return name;
    }

    /** Its log: what it wrote to standard output and error. */
    public Path log() {
        return log;
    }

    /** Waits until the service reports ready: its database and its Kafka channels are up. */
    public ServiceProcess awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited at start-up; see " + log);
            }
            try {
                HttpResponse<Void> response = HTTP.send(
                        HttpRequest.newBuilder(URI.create(managementUri() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within 90 s; see " + log);
    }

    /** Kills it as a crash would (SIGKILL): no shutdown hooks, nothing flushed or committed on the way out. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
