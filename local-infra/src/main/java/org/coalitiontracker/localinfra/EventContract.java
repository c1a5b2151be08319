package org.coalitiontracker.localinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * An event contract: the JSON Schema its producer keeps, read from the producer's source tree so that the
 * producer's tests and every consumer's tests check messages against the same document.
 */
public final class EventContract {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final JsonSchema schema;

    private EventContract(Path file) {
        this.file = file;
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = Files.newInputStream(file)) {
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ClusterJoined} v1, kept by membership-service. */
    public static EventContract clusterJoinedV1() {
        return of("membership-service/src/main/resources/META-INF/resources/contracts/cluster-joined-v1.schema.json");
    }

    /** {@code ClusterFiguresRevised} v1, kept by membership-service. */
    public static EventContract clusterFiguresRevisedV1() {
        return of("membership-service/src/main/resources/META-INF/resources/contracts/cluster-figures-revised-v1.schema.json");
    }

    /** {@code ClusterWithdrawn} v1, kept by membership-service. */
    public static EventContract clusterWithdrawnV1() {
        return of("membership-service/src/main/resources/META-INF/resources/contracts/cluster-withdrawn-v1.schema.json");
    }

    /** {@code TotalsChanged} v1, kept by metrics-service. */
    public static EventContract totalsChangedV1() {
        return of("metrics-service/src/main/resources/META-INF/resources/contracts/totals-changed-v1.schema.json");
    }

    /** {@code ReconciliationChecked} v1, kept by metrics-service. */
    public static EventContract reconciliationCheckedV1() {
        return of("metrics-service/src/main/resources/META-INF/resources/contracts/reconciliation-checked-v1.schema.json");
    }

    private static EventContract of(String pathInRepository) {
        String root = System.getProperty("coalition.root");
        if (root == null) {
            throw new IllegalStateException("Set -Dcoalition.root to the repository root (the root pom does this for tests)");
        }
        return new EventContract(Path.of(root, pathInRepository));
    }

    /** The reasons the JSON breaks this contract; empty when it keeps it. */
    public Set<String> violations(String json) {
        try {
            return schema.validate(MAPPER.readTree(json)).stream().map(ValidationMessage::getMessage)
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of("not JSON: " + e.getMessage());
        }
    }

    public void assertKeptBy(String json) {
        Set<String> violations = violations(json);
        if (!violations.isEmpty()) {
            throw new AssertionError(file.getFileName() + " is broken by " + json + ": " + violations);
        }
    }
}
