package org.coalitiontracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.common.metrics.StrimziMetricsReporter;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;

/**
 * Every object each overlay renders is well-formed for its API: it parses into its typed model (Kubernetes',
 * the Prometheus Operator's or Strimzi's) without a field the model does not know, or, for CloudNativePG, matches
 * the schema of the fields we use. A misspelt field would otherwise be dropped silently by the API server or fail
 * only at install time.
 */
class ManifestModelsTest {

    static final List<String> overlays = Overlay.NAMES;

    @ParameterizedTest
    @FieldSource("overlays")
    void everyObjectIsOfAKnownKindAndHasOnlyKnownFields(String name) {
        Overlay overlay = Overlay.named(name);
        assertThat(overlay.trees()).allSatisfy(tree -> assertThat(
                Overlay.modelOf(tree).isPresent() || Overlay.SCHEMAS.containsKey(Overlay.typeOf(tree)))
                .as("%s has a typed model or a schema", Overlay.typeOf(tree)).isTrue());
        List<String> unknown = overlay.models().stream().flatMap(model -> UnknownFields.in(model).stream()
                .map(field -> model.getKind() + " " + model.getMetadata().getName() + ": " + field)).toList();
        assertThat(unknown).as("fields that their models do not know").isEmpty();
    }

    @ParameterizedTest
    @FieldSource("overlays")
    void everyPostgresClusterMatchesTheCloudNativePgSchema(String name) {
        List<JsonNode> clusters = Overlay.named(name).treesOfKind("Cluster").toList();
        assertThat(clusters).hasSize(3);
        assertThat(clusters).allSatisfy(cluster -> assertThat(cnpgSchema().validate(cluster))
                .as("CloudNativePG Cluster %s", cluster.path("metadata").path("name").asText()).isEmpty());
    }

    /**
     * The roster's database (the system of record) replicates synchronously wherever it has standbys, so that a
     * failover never loses an acknowledged join; and no database waits for more standbys than it has (every write
     * would block).
     */
    /** The kinds without Java models (CloudNativePG's backups, the Barman Cloud plugin's store) match their schemas. */
    @ParameterizedTest
    @FieldSource("overlays")
    void everyObjectWithoutAModelMatchesItsSchema(String name) {
        assertThat(Overlay.named(name).trees()).filteredOn(tree -> Overlay.SCHEMAS.containsKey(Overlay.typeOf(tree)))
                .allSatisfy(tree -> assertThat(schemaOf(Overlay.typeOf(tree)).validate(tree))
                        .as("%s %s", Overlay.typeOf(tree), tree.path("metadata").path("name").asText()).isEmpty());
    }

    /**
     * In prod, the roster's database archives its WAL continuously and takes a base backup every night, both through
     * the Barman Cloud plugin to the one ObjectStore it names: it can be restored to any moment the store still covers.
     */
    @Test
    void theRostersDatabaseIsBackedUpContinuouslyInProd() {
        Overlay prod = Overlay.named("prod");
        JsonNode database = prod.treesOfKind("Cluster")
                .filter(cluster -> cluster.path("metadata").path("name").asText().equals("membership-db")).findFirst()
                .orElseThrow();
        JsonNode archiver = database.path("spec").path("plugins").path(0);
        assertThat(archiver.path("isWALArchiver").asBoolean()).isTrue();
        String store = archiver.path("parameters").path("barmanObjectName").asText();
        assertThat(prod.treesOfKind("ObjectStore").map(tree -> tree.path("metadata").path("name").asText()))
                .containsExactly(store);
        assertThat(prod.treesOfKind("ScheduledBackup")).singleElement().satisfies(backup -> {
            assertThat(backup.path("spec").path("cluster").path("name").asText()).isEqualTo("membership-db");
            assertThat(backup.path("spec").path("method").asText()).isEqualTo("plugin");
            assertThat(backup.path("spec").path("pluginConfiguration").path("name").asText())
                    .isEqualTo(archiver.path("name").asText());
        });
    }

    @ParameterizedTest
    @FieldSource("overlays")
    void theRosterIsReplicatedSynchronouslyWhereThereAreStandbys(String name) {
        List<JsonNode> clusters = Overlay.named(name).treesOfKind("Cluster").toList();
        assertThat(clusters).allSatisfy(cluster -> {
            JsonNode synchronous = cluster.path("spec").path("postgresql").path("synchronous");
            int instances = cluster.path("spec").path("instances").asInt();
            if (!synchronous.isMissingNode()) {
                assertThat(synchronous.path("number").asInt()).as("standbys to wait for").isLessThan(instances);
            } else if (cluster.path("metadata").path("name").asText().equals("membership-db")) {
                assertThat(instances).as("membership-db replicates synchronously when it has standbys").isEqualTo(1);
            }
        });
    }

    /** A database of one instance gets no PodDisruptionBudget: CloudNativePG's would keep its node from draining. */
    @ParameterizedTest
    @FieldSource("overlays")
    void aSingleInstanceDatabaseNeverBlocksADrain(String name) {
        assertThat(Overlay.named(name).treesOfKind("Cluster").toList()).allSatisfy(cluster -> {
            if (cluster.path("spec").path("instances").asInt() == 1) {
                assertThat(cluster.path("spec").path("enablePDB").asBoolean(true))
                        .as("enablePDB of %s", cluster.path("metadata").path("name").asText()).isFalse();
            }
        });
    }

    @ParameterizedTest
    @FieldSource("overlays")
    void kafkaRunsInKraftModeWithAQuorumOfControllers(String name) {
        Overlay overlay = Overlay.named(name);
        Kafka kafka = overlay.all(Kafka.class).get(0);
        List<KafkaNodePool> pools = overlay.all(KafkaNodePool.class);
        assertThat(pools).allSatisfy(pool -> assertThat(pool.getMetadata().getLabels())
                .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName()));
        int controllers = pools.stream().filter(pool -> pool.getSpec().getRoles().contains(ProcessRoles.CONTROLLER))
                .mapToInt(pool -> pool.getSpec().getReplicas()).sum();
        int brokers = pools.stream().filter(pool -> pool.getSpec().getRoles().contains(ProcessRoles.BROKER))
                .mapToInt(pool -> pool.getSpec().getReplicas()).sum();
        assertThat(controllers).as("KRaft controllers (an odd number keeps a majority)").isOdd();
        assertThat(brokers).isPositive();
        Object replication = kafka.getSpec().getKafka().getConfig().get("default.replication.factor");
        assertThat(((Number) replication).intValue()).isLessThanOrEqualTo(brokers);
    }

    /**
     * The brokers run the Kafka version the services' clients are built and tested with (the local broker is that
     * version too), and know their zone, so that a partition's replicas spread over zones; Kafka Exporter gives the
     * consumer lag.
     */
    @ParameterizedTest
    @FieldSource("overlays")
    void kafkaIsPinnedToTheTestedVersionRackAwareAndExportsItsLag(String name) {
        Kafka kafka = Overlay.named(name).all(Kafka.class).get(0);
        assertThat(kafka.getSpec().getKafka().getVersion()).isEqualTo(AppInfoParser.getVersion());
        assertThat(kafka.getSpec().getKafka().getRack().getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
        assertThat(kafka.getSpec().getKafkaExporter()).isNotNull();
    }

    /**
     * kube-prometheus-stack finds the monitors and the rules by their release label, and its Grafana's sidecar the
     * dashboard in Grafana's namespace; everything else lives in the overlay's namespace.
     */
    @ParameterizedTest
    @FieldSource("overlays")
    void prometheusAndGrafanaFindTheMonitorsTheAlertsAndTheDashboard(String name) {
        Overlay overlay = Overlay.named(name);
        String namespace = overlay.all(Namespace.class).get(0).getMetadata().getName();
        assertThat(Stream.of(ServiceMonitor.class, PodMonitor.class, PrometheusRule.class)
                .flatMap(kind -> overlay.all(kind).stream()))
                .hasSize(7).allSatisfy(resource -> assertThat(resource.getMetadata().getLabels())
                        .containsEntry("release", "kube-prometheus-stack"));
        assertThat(overlay.all(ConfigMap.class)).filteredOn(map -> map.getMetadata().getLabels() != null
                && "1".equals(map.getMetadata().getLabels().get("grafana_dashboard"))).singleElement()
                .satisfies(dashboard -> assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring"));
        assertThat(overlay.models()).filteredOn(model -> !(model instanceof Namespace)
                && !"monitoring".equals(model.getMetadata().getNamespace()))
                .allSatisfy(model -> assertThat(model.getMetadata().getNamespace()).as(model.getKind())
                        .isEqualTo(namespace));
    }

    /**
     * Prometheus scrapes the brokers (Strimzi's metrics reporter) and Kafka Exporter, every instance of the three
     * databases and every PgBouncer in front of them, beside the services.
     */
    @ParameterizedTest
    @FieldSource("overlays")
    void theBrokersAndTheDatabasesAreScrapedToo(String name) {
        Overlay overlay = Overlay.named(name);
        Kafka kafka = overlay.all(Kafka.class).get(0);
        assertThat(kafka.getSpec().getKafka().getMetricsConfig()).isInstanceOf(StrimziMetricsReporter.class);
        assertThat(overlay.one(PodMonitor.class, "coalition-kafka").getSpec().getSelector().getMatchLabels())
                .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
        List<String> databases = overlay.treesOfKind("Cluster").map(tree -> tree.path("metadata").path("name").asText())
                .toList();
        assertThat(overlay.one(PodMonitor.class, "coalition-postgres").getSpec().getSelector().getMatchExpressions())
                .filteredOn(expression -> expression.getKey().equals("cnpg.io/cluster")).singleElement()
                .satisfies(expression -> assertThat(expression.getValues()).containsExactlyInAnyOrderElementsOf(databases));
        List<String> poolers = overlay.treesOfKind("Pooler").map(tree -> tree.path("metadata").path("name").asText())
                .toList();
        assertThat(overlay.one(PodMonitor.class, "coalition-pgbouncer").getSpec().getSelector().getMatchExpressions())
                .filteredOn(expression -> expression.getKey().equals("cnpg.io/poolerName")).singleElement()
                .satisfies(expression -> assertThat(expression.getValues()).containsExactlyInAnyOrderElementsOf(poolers));
    }

    /** Every alert has its panel on the dashboard and its row in deploy/README.md's Alerts section. */
    @Test
    void everyAlertIsOnTheDashboardAndInTheReadme() throws IOException {
        String dashboard = Files.readString(Overlay.KUSTOMIZE_ROOT.resolve("base/grafana/coalition-tracker.json"));
        String readme = Files.readString(Overlay.ROOT.resolve("deploy/README.md"));
        String alerts = readme.substring(readme.indexOf("## Alerts"), readme.indexOf("## Rebuilding the totals"));
        List<String> names = Overlay.named("prod").all(PrometheusRule.class).stream()
                .flatMap(rule -> rule.getSpec().getGroups().stream()).flatMap(group -> group.getRules().stream())
                .map(Rule::getAlert).toList();
        assertThat(names).hasSizeGreaterThan(5).allSatisfy(alert -> {
            assertThat(dashboard).as("the dashboard's panel for " + alert).contains("Alert: " + alert);
            assertThat(alerts).as("the README's row for " + alert).contains("| `" + alert + "`");
        });
    }

    /** The namespace enforces Pod Security's baseline and warns of what falls short of restricted. */
    @ParameterizedTest
    @FieldSource("overlays")
    void theNamespaceHasPodSecurityLabels(String name) {
        assertThat(Overlay.named(name).all(Namespace.class)).singleElement()
                .satisfies(namespace -> assertThat(namespace.getMetadata().getLabels())
                        .containsEntry("pod-security.kubernetes.io/enforce", "baseline")
                        .containsEntry("pod-security.kubernetes.io/warn", "restricted"));
    }

    /** The check itself catches what it is for: a misspelt field, here a probe. */
    @Test
    void aMisspeltFieldIsFound() throws Exception {
        Deployment deployment = Overlay.MAPPER.treeToValue(new YAMLMapper().readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: misspelt}
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          livenesProbe: {httpGet: {path: /q/health/live, port: http}}
                """), Deployment.class);
        assertThat(UnknownFields.in(deployment)).containsExactly("spec.template.spec.containers[0].livenesProbe");
    }

    @Test
    void aPostgresClusterWithAMisspeltFieldIsRejected() throws Exception {
        Set<ValidationMessage> problems = cnpgSchema().validate(new YAMLMapper().readTree("""
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: misspelt-db}
                spec:
                  instance: 3
                  storage: {size: 1Gi}
                """));
        assertThat(problems).map(ValidationMessage::getMessage)
                .anySatisfy(message -> assertThat(message).contains("instance"));
    }

    private static JsonSchema cnpgSchema() {
        return schemaOf("postgresql.cnpg.io/v1/Cluster");
    }

    private static JsonSchema schemaOf(String type) {
        InputStream schema = ManifestModelsTest.class.getResourceAsStream(Overlay.SCHEMAS.get(type));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
    }
}
