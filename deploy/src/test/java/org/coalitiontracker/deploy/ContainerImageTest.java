package org.coalitiontracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.coalitiontracker.localinfra.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one Dockerfile fits each service's Quarkus build: everything it copies exists in the service's
 * target/quarkus-app, and what it runs is among what it copied; and Jib's build of the image agrees with it. No
 * container engine or registry runs on CI machines, so this is as far as the image is checked here.
 */
class ContainerImageTest {

    static final List<String> services = DeployedService.NAMES;
    private static final Pattern COPY = Pattern.compile("(?m)^COPY --chown=\\d+ (\\S+) (\\S+)$");

    @ParameterizedTest
    @FieldSource("services")
    void theDockerfileCopiesTheServicesBuildAndRunsIt(String service) throws IOException {
        String dockerfile = Files.readString(Overlay.ROOT.resolve("deploy/container/Dockerfile.jvm"));
        List<String> copied = new ArrayList<>();
        Matcher copy = COPY.matcher(dockerfile);
        while (copy.find()) {
            String source = copy.group(1).replace("${SERVICE}", service);
            List<Path> matches = glob(Overlay.ROOT.resolve(source));
            assertThat(matches).as("%s in the build of %s", source, service).isNotEmpty();
            for (Path match : matches) {
                copied.add(copy.group(2).endsWith("/") && !Files.isDirectory(match)
                        ? copy.group(2) + match.getFileName()
                        : copy.group(2));
            }
        }
        Matcher jar = Pattern.compile("JAVA_APP_JAR=\"([^\"]+)\"").matcher(dockerfile);
        assertThat(jar.find()).isTrue();
        assertThat(copied).as("what the image holds").contains(jar.group(1));
    }

    /**
     * The image, the local run and the tests size the JVM from one file, deploy/container/jvm.env: the image sources
     * it before run-java.sh, and the other two pass its options with -XX:MaxRAM at the pods' memory limit and its
     * variables in the environment. They run one collector: run-java.sh's own choice (GC_CONTAINER_OPTIONS) is the one
     * the options name. The file is sourced here as the image's entrypoint does, and the JVM is started with what that
     * gives, in run-java.sh's order: a value that the shell or the JVM refuses stops every pod.
     */
    @Test
    void theImageTheLocalRunAndTheTestsSizeTheJvmFromOneFile() throws Exception {
        Map<String, String> settings = ServiceProcess.imageEnvironment(Overlay.ROOT);
        assertThat(settings.get("JAVA_OPTS_APPEND")).contains("-XX:MaxRAMPercentage=", "-XX:MaxDirectMemorySize=",
                "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=");
        assertThat(settings).containsEntry("GC_CONTAINER_OPTIONS", "-XX:+UseSerialGC")
                .containsEntry("MALLOC_ARENA_MAX", "2");

        Map<String, String> exported = new LinkedHashMap<>();
        Process shell = new ProcessBuilder("/bin/sh", "-c",
                "set -a && . ./deploy/container/jvm.env && set +a && env").directory(Overlay.ROOT.toFile())
                .redirectErrorStream(true).start();
        String output = new String(shell.getInputStream().readAllBytes());
        assertThat(shell.waitFor()).as(output).isZero();
        output.lines().filter(line -> line.contains("="))
                .forEach(line -> exported.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        assertThat(exported).containsAllEntriesOf(settings);

        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxRAM=512m", settings.get("GC_CONTAINER_OPTIONS")));
        java.addAll(ServiceProcess.imageJavaOptions(Overlay.ROOT));
        java.add("-version");
        Process jvm = new ProcessBuilder(java).redirectErrorStream(true).start();
        String version = new String(jvm.getInputStream().readAllBytes());
        assertThat(jvm.waitFor()).as(version).isZero();

        assertThat(Files.readString(Overlay.ROOT.resolve("deploy/container/Dockerfile.jvm")))
                .contains("COPY --chown=185 deploy/container/jvm.env /deployments/jvm.env",
                        "set -a && . /deployments/jvm.env && set +a");
        assertThat(Files.readString(Overlay.ROOT.resolve("deploy/local/start.sh")))
                .contains("set -a && . \"$ROOT/deploy/container/jvm.env\" && set +a", "-XX:MaxRAM=512m $JAVA_OPTS_APPEND");
        assertThat(Files.readString(Overlay.ROOT.resolve(
                "local-infra/src/main/java/org/coalitiontracker/localinfra/ServiceProcess.java")))
                .contains("imageEnvironment(root)", "-XX:MaxRAM=512m");
    }

    /** deploy/build-images.sh tags the images as an overlay expects: each overlay names one tag for all three. */
    @Test
    void eachOverlayNamesOneTagForTheThreeImagesAndTheBuildUsesIt() throws IOException {
        for (String overlay : Overlay.NAMES) {
            JsonNode images = new YAMLMapper().readTree(Overlay.KUSTOMIZE_ROOT.resolve("overlays").resolve(overlay)
                    .resolve("kustomization.yaml").toFile()).path("images");
            List<String> names = new ArrayList<>();
            Set<String> tags = new HashSet<>();
            images.forEach(image -> {
                names.add(image.path("name").asText().replaceFirst(".*/", ""));
                tags.add(image.path("newTag").asText());
            });
            assertThat(names).as(overlay).containsExactlyInAnyOrderElementsOf(services);
            assertThat(tags).as(overlay).singleElement().asString().isNotBlank();
        }
        assertThat(Files.readString(Overlay.ROOT.resolve("deploy/build-images.sh")))
                .contains("deploy/kubernetes/overlays/$OVERLAY/kustomization.yaml", "newTag");
    }

    /**
     * Jib (through Quarkus' extension, deploy/build-images.sh's default) builds the image the Dockerfile describes:
     * the same base image and user, the JVM options of jvm.env and its other variables, and the name the manifests give the
     * image.
     */
    @Test
    void jibBuildsTheImageTheDockerfileDescribes() throws IOException {
        String dockerfile = Files.readString(Overlay.ROOT.resolve("deploy/container/Dockerfile.jvm"));
        String pom = Files.readString(Overlay.ROOT.resolve("pom.xml"));
        assertThat(property(pom, "quarkus.jib.base-jvm-image"))
                .isEqualTo(ServiceWiringTest.match(dockerfile, "(?m)^FROM (\\S+)$"));
        assertThat(property(pom, "quarkus.jib.user")).isEqualTo(ServiceWiringTest.match(dockerfile, "(?m)^USER (\\S+)$"));
        for (String service : services) {
            assertThat(Files.readString(Overlay.ROOT.resolve(service).resolve("pom.xml")))
                    .contains("<artifactId>quarkus-container-image-jib</artifactId>");
            String image = DeployedService.of(Overlay.named("prod"), service).container().getImage();
            assertThat(image).startsWith(property(pom, "quarkus.container-image.registry") + "/"
                    + property(pom, "quarkus.container-image.group") + "/" + service + ":");
        }
        assertThat(Files.readString(Overlay.ROOT.resolve("deploy/build-images.sh")))
                .contains(". deploy/container/jvm.env", "-Dquarkus.jib.environment-variables.$name=${!name}",
                        "-Dquarkus.jib.jvm-arguments=\"$JAVA_OPTS_APPEND\" \"${environment[@]}\"",
                        "-Dquarkus.container-image.tag=\"$TAG\"");
    }

    private static String property(String pom, String name) {
        return ServiceWiringTest.match(pom, "<" + Pattern.quote(name) + ">([^<]+)</");
    }

    /** The files a Dockerfile source names: a path, or a path whose last part has a '*'. */
    private static List<Path> glob(Path source) throws IOException {
        String last = source.getFileName().toString();
        if (!last.contains("*")) {
            return Files.exists(source) ? List.of(source) : List.of();
        }
        List<Path> matches = new ArrayList<>();
        if (Files.isDirectory(source.getParent())) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(source.getParent(), last)) {
                files.forEach(matches::add);
            }
        }
        return matches;
    }
}
