package org.coalitiontracker.deploy;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.coalitiontracker.localinfra.FreePorts;
import org.coalitiontracker.localinfra.ServiceProcess;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

/**
 * One service run on this machine as its rendered Deployment's pod runs it: the packaged service with the image's JVM
 * options and the container's memory limit, the prod profile, exactly the container's environment (ConfigMaps,
 * values, Secret references; the pods turn Kubernetes' Service links off), its volumes mounted where the manifest
 * mounts them (a tmpfs for an emptyDir, the files of a Secret read-only), as the pod's user with a read-only root
 * filesystem. It runs in a mount namespace of its own (util-linux's unshare and setpriv, as root), so that none of
 * this touches the machine.
 * <p>
 * What differs from a cluster, and only that: the pods here share one network, so each container port gets a free
 * port here (a variable set to a container port's number is set to its stand-in), and the cluster's names (Services,
 * databases) are rewritten by the {@code addresses} given.
 */
final class Pod implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final DeployedService service;
    private final Map<Integer, Integer> localPorts;
    private final Process process;
    private final Path log;

    private Pod(DeployedService service, Map<Integer, Integer> localPorts, Process process, Path log) {
        this.service = service;
        this.localPorts = localPorts;
        this.process = process;
        this.log = log;
    }

    /**
     * @param secrets the values of the Secrets the pod refers to, by Secret name and key (the test's stand-ins for
     *        what the operators and the installer write)
     * @param addresses rewrites a variable's value from the cluster's names to this machine's
     * @param work where the pod's Secret volumes and its log go
     */
    static Pod start(DeployedService service, Map<String, Map<String, String>> secrets,
            UnaryOperator<String> addresses, Path work) {
        Map<Integer, Integer> localPorts = new LinkedHashMap<>();
        for (ContainerPort port : service.container().getPorts()) {
            localPorts.put(port.getContainerPort(), FreePorts.next());
        }
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        try {
            // What the image's entrypoint exports from jvm.env; the pod's own variables come after it.
            environment.putAll(ServiceProcess.imageEnvironment(Overlay.ROOT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        environment(service, secrets).forEach((name, value) -> {
            String local = value.matches("[0-9]+") && localPorts.containsKey(Integer.parseInt(value))
                    ? String.valueOf(localPorts.get(Integer.parseInt(value)))
                    : value;
            environment.put(name, addresses.apply(local));
        });
        Path dir = work.resolve(service.name());
        Path log = dir.resolve("service.log");
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--",
                "/bin/sh", "-c", mounts(service, secrets, dir) + "exec setpriv " + user(service)
                        + " --clear-groups --no-new-privs -- \"$@\"",
                "pod"));
        command.addAll(javaCommand(service));
        try {
            Files.createDirectories(dir);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            return new Pod(service, localPorts, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The container's environment: its ConfigMaps, then its own variables, Secret references filled in. */
    private static Map<String, String> environment(DeployedService service, Map<String, Map<String, String>> secrets) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvFromSource source : service.container().getEnvFrom()) {
            environment.putAll(service.overlay().one(ConfigMap.class, source.getConfigMapRef().getName()).getData());
        }
        for (EnvVar variable : service.container().getEnv()) {
            SecretKeySelector secret = variable.getValueFrom() == null ? null
                    : variable.getValueFrom().getSecretKeyRef();
            environment.put(variable.getName(),
                    secret == null ? variable.getValue() : secret(secrets, secret.getName(), secret.getKey()));
        }
        return environment;
    }

    /** The shell commands that mount the pod's volumes and make the root filesystem read-only. */
    private static String mounts(DeployedService service, Map<String, Map<String, String>> secrets, Path dir) {
        PodSpec pod = service.deployment().getSpec().getTemplate().getSpec();
        StringBuilder script = new StringBuilder("set -e; ");
        for (VolumeMount mount : service.container().getVolumeMounts()) {
            Volume volume = pod.getVolumes().stream().filter(candidate -> candidate.getName().equals(mount.getName()))
                    .findFirst().orElseThrow(() -> new AssertionError(service.name() + " mounts no volume "
                            + mount.getName()));
            String target = mount.getMountPath();
            script.append("mkdir -p ").append(target).append("; ");
            if (volume.getEmptyDir() != null) {
                Quantity size = volume.getEmptyDir().getSizeLimit();
                // What the pod runs from (this checkout, the JDK) may lie under the emptyDir's path, as a checkout
                // in /tmp does: kept reachable through /mnt, and bound again at its own path on the fresh tmpfs.
                List<Path> hidden = runsFrom().stream().filter(path -> path.startsWith(target)).toList();
                if (!hidden.isEmpty()) {
                    script.append("mkdir -p /mnt; mount --bind ").append(target).append(" /mnt; ");
                }
                script.append("mount -t tmpfs -o mode=1777")
                        .append(size == null ? "" : ",size=" + Quantity.getAmountInBytes(size).longValue())
                        .append(" tmpfs ").append(target).append("; ");
                for (Path path : hidden) {
                    script.append("mkdir -p ").append(path).append("; mount --bind ")
                            .append(Path.of("/mnt").resolve(Path.of(target).relativize(path))).append(' ')
                            .append(path).append("; ");
                }
            } else if (volume.getSecret() != null) {
                Path files = writeSecretVolume(volume, secrets, dir.resolve("volumes").resolve(volume.getName()));
                script.append("mount --bind ").append(files).append(' ').append(target).append("; ")
                        .append("mount -o remount,bind,ro ").append(target).append("; ");
            } else {
                throw new AssertionError(service.name() + ": volume " + volume.getName() + " is of a kind this "
                        + "test does not mount");
            }
        }
        if (Boolean.TRUE.equals(service.container().getSecurityContext().getReadOnlyRootFilesystem())) {
            script.append("mount -o remount,bind,ro /; ");
        }
        return script.toString();
    }

    /** Where the pod's files come from on this machine: this checkout (the service, the volumes) and the JDK. */
    private static List<Path> runsFrom() {
        try {
            return List.of(Overlay.ROOT.toRealPath(), Path.of(System.getProperty("java.home")).toRealPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeSecretVolume(Volume volume, Map<String, Map<String, String>> secrets, Path files) {
        String name = volume.getSecret().getSecretName();
        List<KeyToPath> items = volume.getSecret().getItems() == null || volume.getSecret().getItems().isEmpty()
                ? secrets.getOrDefault(name, Map.of()).keySet().stream().map(key -> new KeyToPath(key, null, key))
                        .toList()
                : volume.getSecret().getItems();
        try {
            Files.createDirectories(files);
            for (KeyToPath item : items) {
                Files.writeString(files.resolve(item.getPath()), secret(secrets, name, item.getKey()));
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String secret(Map<String, Map<String, String>> secrets, String name, String key) {
        String value = secrets.getOrDefault(name, Map.of()).get(key);
        if (value == null) {
            throw new AssertionError("the pod refers to Secret " + name + " key " + key + ", which this test does "
                    + "not stand in for");
        }
        return value;
    }

    /** The pod's user and group (securityContext), which must not be root. */
    private static String user(DeployedService service) {
        PodSecurityContext context = service.deployment().getSpec().getTemplate().getSpec().getSecurityContext();
        if (!Boolean.TRUE.equals(context.getRunAsNonRoot()) || context.getRunAsUser() == null
                || context.getRunAsUser() == 0) {
            throw new AssertionError(service.name() + " does not run as a non-root user");
        }
        return "--reuid=" + context.getRunAsUser() + " --regid=" + context.getRunAsGroup();
    }

    /** The image's command: the JVM options of jvm.env, sized by the container's memory limit. */
    private static List<String> javaCommand(DeployedService service) {
        Path root = Overlay.ROOT;
        Path jar = root.resolve(service.name()).resolve("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw verify does)");
        }
        Quantity limit = service.container().getResources().getLimits().get("memory");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:MaxRAM=" + Quantity.getAmountInBytes(limit).longValue()));
        try {
            command.addAll(ServiceProcess.imageJavaOptions(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    /** Where a container port (by name, as probes and Services name it, or by number) listens here. */
    URI uri(IntOrString port, String path) {
        int containerPort = port.getIntVal() != null ? port.getIntVal()
                : service.container().getPorts().stream().filter(candidate -> port.getStrVal().equals(candidate
                        .getName())).findFirst().orElseThrow(() -> new AssertionError(service.name()
                                + " has no port named " + port.getStrVal()))
                        .getContainerPort();
        Integer local = localPorts.get(containerPort);
        if (local == null) {
            throw new AssertionError(service.name() + " declares no container port " + containerPort);
        }
        return URI.create("http://127.0.0.1:" + local + path);
    }

    /** Its process' status in /proc: Uid, Gid and the like. */
    List<String> processStatus() throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"));
    }

    /** The mounts its process sees, as /proc's mountinfo lists them. */
    List<String> mounts() throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "mountinfo"));
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** The service's API, on its container port named http. */
    String baseUri() {
        return uri(new IntOrString("http"), "").toString();
    }

    /**
     * Waits as the kubelet would: the startup probe until it succeeds (within its period times its failure
     * threshold), then the readiness probe likewise; the liveness probe must then succeed at once.
     */
    Pod awaitProbes() throws InterruptedException {
        Container container = service.container();
        await(container.getStartupProbe(), "startup");
        await(container.getReadinessProbe(), "readiness");
        int status = probe(container.getLivenessProbe());
        if (status < 200 || status >= 400) {
            throw new AssertionError(service.name() + ": liveness probe answered " + status + "; see " + log);
        }
        return this;
    }

    private void await(Probe probe, String kind) throws InterruptedException {
        Duration period = Duration.ofSeconds(probe.getPeriodSeconds());
        Instant deadline = Instant.now().plus(period.multipliedBy(probe.getFailureThreshold()));
        int status = -1;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(service.name() + " exited; see " + log);
            }
            status = probe(probe);
            if (status >= 200 && status < 400) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(period.toMillis(), 1000));
        }
        IntOrString port = probe.getHttpGet().getPort();
        throw new AssertionError(service.name() + ": the " + kind + " probe " + probe.getHttpGet().getPath()
                + " on port " + (port.getStrVal() != null ? port.getStrVal() : port.getIntVal()) + " last answered "
                + (status < 0 ? "nothing" : status) + "; see " + log);
    }

    /** The HTTP status the probe gets, or -1 when nothing answers. */
    private int probe(Probe probe) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(probe.getHttpGet().getPort(), probe.getHttpGet().getPath()))
                    .timeout(Duration.ofSeconds(probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds()))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
