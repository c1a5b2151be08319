package org.coalitiontracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
     * it before run-java.sh, and the other two pass its options with -XX:MaxRAM at the pods' memory limit. They run one
     * collector: run-java.sh's own choice (GC_CONTAINER_OPTIONS) is the one the options name.
     */
    @Test
    void theImageTheLocalRunAndTheTestsSizeTheJvmFromOneFile() throws IOException {
        List<String> settings = Files.readAllLines(Overlay.ROOT.resolve("deploy/container/jvm.env"));
        String options = settings.stream().filter(line -> line.startsWith("JAVA_OPTS_APPEND=")).findFirst()
                .orElseThrow();
        assertThat(options).contains("-XX:MaxRAMPercentage=", "-XX:MaxDirectMemorySize=", "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC");
        assertThat(settings).contains("GC_CONTAINER_OPTIONS=-XX:+UseSerialGC");
        assertThat(Files.readString(Overlay.ROOT.resolve("deploy/container/Dockerfile.jvm")))
                .contains("COPY --chown=185 deploy/container/jvm.env /deployments/jvm.env", ". /deployments/jvm.env");
        assertThat(Files.readString(Overlay.ROOT.resolve("deploy/local/start.sh")))
                .contains("deploy/container/jvm.env", "-XX:MaxRAM=512m");
        assertThat(Files.readString(Overlay.ROOT.resolve(
                "local-infra/src/main/java/org/coalitiontracker/localinfra/ServiceProcess.java")))
                .contains("deploy/container/jvm.env", "-XX:MaxRAM=512m");
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
     * the same base image and user, the JVM options of jvm.env, and the name the manifests give the image.
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
                .contains("JAVA_OPTS_APPEND=$(sed -n 's/^JAVA_OPTS_APPEND=//p' deploy/container/jvm.env)",
                        "-Dquarkus.jib.jvm-arguments=\"$JAVA_OPTS_APPEND\"", "-Dquarkus.container-image.tag=\"$TAG\"");
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
