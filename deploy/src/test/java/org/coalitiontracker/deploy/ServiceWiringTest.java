package org.coalitiontracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.coalitiontracker.localinfra.PostgresDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;

/**
 * The manifests and the services agree: each Deployment runs its service on the port and health paths the service
 * has, sets every variable the service reads (and none it ignores), and points it at its own database, the Kafka
 * listener, and topics and consumer groups its Kafka user may use; the NetworkPolicies let through exactly that.
 * The services' side comes from their application.properties and pom.xml, read as the prod profile sees them.
 */
class ServiceWiringTest {

    static final List<String> overlays = Overlay.NAMES;
    private static final Path DEPLOY = Overlay.ROOT.resolve("deploy");

    static Stream<Arguments> services() {
        return Overlay.NAMES.stream().flatMap(overlay -> DeployedService.NAMES.stream()
                .map(service -> Arguments.of(overlay, service)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("services")
    void runsOnTheServicesPortWithItsHealthProbesAndMetricsOnTheManagementPort(String overlay, String name) {
        DeployedService service = DeployedService.of(Overlay.named(overlay), name);
        int port = Integer.parseInt(service.config().resolve("quarkus.http.port", service.environment()));
        assertThat(service.config().resolve("quarkus.management.enabled", service.environment())).isEqualTo("true");
        int management = Integer.parseInt(service.config().resolve("quarkus.management.port", service.environment()));
        assertThat(service.container().getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .containsExactlyInAnyOrder(tuple("http", port), tuple("management", management));

        assertThat(service.config().hasExtension("quarkus-smallrye-health")).isTrue();
        String health = service.config().endpoint("quarkus.smallrye-health.root-path", "health");
        assertProbe(service.container().getStartupProbe(), health + "/started");
        assertProbe(service.container().getLivenessProbe(), health + "/live");
        assertProbe(service.container().getReadinessProbe(), health + "/ready");

        Service kubernetesService = service.overlay().one(Service.class, name);
        assertThat(service.podLabels()).containsAllEntriesOf(kubernetesService.getSpec().getSelector());
        assertThat(kubernetesService.getSpec().getPorts())
                .extracting(ServicePort::getName, ServicePort::getPort, servicePort -> servicePort.getTargetPort().getStrVal())
                .as("the same ports inside and out")
                .containsExactlyInAnyOrder(tuple("http", port, "http"), tuple("management", management, "management"));

        assertThat(service.config().hasExtension("quarkus-micrometer-registry-prometheus")).isTrue();
        ServiceMonitor monitor = service.overlay().one(ServiceMonitor.class, name);
        assertThat(kubernetesService.getMetadata().getLabels())
                .containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getSpec().getEndpoints()).extracting(Endpoint::getPort, Endpoint::getPath)
                .containsExactly(tuple("management",
                        service.config().endpoint("quarkus.micrometer.export.prometheus.path", "metrics")));

        NetworkPolicy policy = service.overlay().one(NetworkPolicy.class, name);
        assertThat(policy.getSpec().getIngress()).as("who may reach the management port").allSatisfy(rule -> {
            if (rule.getPorts().stream().anyMatch(rulePort -> "management".equals(rulePort.getPort().getStrVal()))) {
                assertThat(rule.getFrom()).singleElement().satisfies(from -> assertThat(
                        from.getNamespaceSelector().getMatchLabels()).containsOnlyKeys("coalition-tracker.org/monitoring"));
            }
        });
        assertThat(service.environment()).as("Swagger UI, off in the pods").containsEntry("QUARKUS_SWAGGER_UI_ENABLED",
                "false");
    }

    @ParameterizedTest
    @FieldSource("org.coalitiontracker.deploy.DeployedService#NAMES")
    void theReadmeTableDocumentsEveryVariableTheServiceReads(String name) throws IOException {
        String readme = Files.readString(Overlay.ROOT.resolve("README.md"));
        String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("## Tests with Docker"));
        assertThat(ServiceConfig.of(name).variables()).allSatisfy(variable -> assertThat(table)
                .as("README's configuration table").contains("`" + variable + "`"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("services")
    void setsEveryVariableTheServiceReadsAndNoOther(String overlay, String name) {
        DeployedService service = DeployedService.of(Overlay.named(overlay), name);
        assertThat(service.environment().keySet()).as("variables set for %s", name)
                .containsAll(service.config().variables());
        Set<String> kafkaSettings = new HashSet<>(ConsumerConfig.configNames());
        kafkaSettings.addAll(ProducerConfig.configNames());
        assertThat(service.environment().keySet()).allSatisfy(variable -> assertThat(
                service.config().variables().contains(variable)
                        // Quarkus passes KAFKA_* variables to every Kafka client of the service.
                        || variable.startsWith("KAFKA_")
                                && kafkaSettings.contains(variable.substring(6).toLowerCase().replace('_', '.'))
                        // A setting of Quarkus or an extension that application.properties documents.
                        || service.config().mentions(variable))
                .as("%s sets %s, which the service reads", name, variable).isTrue());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("services")
    void usesItsOwnDatabaseWithTheOperatorsCredentials(String overlay, String name) {
        DeployedService service = DeployedService.of(Overlay.named(overlay), name);
        URI url = URI.create(service.config().resolve("quarkus.datasource.jdbc.url", service.environment())
                .substring("jdbc:".length()));
        assertThat(url.getHost()).as("CloudNativePG's read-write Service").endsWith("-rw");
        String cluster = url.getHost().substring(0, url.getHost().length() - "-rw".length());
        JsonNode initdb = service.overlay().treesOfKind("Cluster")
                .filter(tree -> tree.path("metadata").path("name").asText().equals(cluster)).findFirst()
                .orElseThrow(() -> new AssertionError("no CloudNativePG Cluster " + cluster))
                .path("spec").path("bootstrap").path("initdb");
        assertThat(url.getPath()).isEqualTo("/" + initdb.path("database").asText());
        assertThat(List.of(initdb.path("localeCollate").asText(), initdb.path("localeCType").asText()))
                .as("the locale every test's database has")
                .containsExactly(PostgresDatabase.COLLATE, PostgresDatabase.CTYPE);
        assertThat(url.getPort()).isEqualTo(5432);
        URI pooled = URI.create(service.config().resolve("quarkus.datasource.reactive.url", service.environment()));
        assertThat(pooled.getPath()).isEqualTo(url.getPath());
        JsonNode pooler = poolerOf(service);
        assertThat(pooler.path("spec").path("cluster").path("name").asText()).isEqualTo(cluster);
        assertThat(pooler.path("spec").path("type").asText()).as("a pooler of the primary").isEqualTo("rw");
        assertThat(List.of(service.secretOf("POSTGRES_USER"), service.secretOf("POSTGRES_PASSWORD")))
                .extracting(SecretKeySelector::getName, SecretKeySelector::getKey)
                .containsExactly(tuple(cluster + "-app", "username"),
                        tuple(cluster + "-app", "password"));
    }

    /**
     * Every replica the autoscaler may start gets its whole reactive pool from PgBouncer, even with one PgBouncer
     * instance left; and PgBouncer's connections to PostgreSQL (one more instance during its rollout) with each
     * replica's JDBC pool, which goes to the server itself (Flyway, the readiness check, membership's outbox relay),
     * stay within max_connections (100 but 3 kept for superusers). In transaction pooling, no prepared statement
     * outlives a transaction.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("services")
    void itsPoolerTakesEveryReplicaWithinPostgresConnections(String overlay, String name) {
        DeployedService service = DeployedService.of(Overlay.named(overlay), name);
        int maxReplicas = service.overlay().one(HorizontalPodAutoscaler.class, name).getSpec().getMaxReplicas();
        int reactivePool = Integer.parseInt(service.config().resolveOrDefault("quarkus.datasource.reactive.max-size",
                service.environment(), "20"));
        JsonNode spec = poolerOf(service).path("spec");
        JsonNode parameters = spec.path("pgbouncer").path("parameters");
        assertThat(spec.path("pgbouncer").path("poolMode").asText()).isEqualTo("transaction");
        assertThat(Integer.parseInt(parameters.path("max_client_conn").asText()))
                .as("PgBouncer's clients").isGreaterThanOrEqualTo(maxReplicas * reactivePool);
        int serverConnections = (spec.path("instances").asInt() + 1)
                * Integer.parseInt(parameters.path("default_pool_size").asText());
        int directPool = Integer.parseInt(service.config().resolveOrDefault("quarkus.datasource.jdbc.max-size",
                service.environment(), "20"));
        assertThat(serverConnections + maxReplicas * directPool).as("connections to PostgreSQL")
                .isLessThanOrEqualTo(100 - 3);
        assertThat(List.of(
                service.config().resolveOrDefault("quarkus.datasource.reactive.cache-prepared-statements",
                        service.environment(), "true"),
                service.config().resolveOrDefault("quarkus.datasource.reactive.postgresql.use-layer7-proxy",
                        service.environment(), "false")))
                .as("no statement outlives a transaction").containsExactly("false", "true");
        assertThat(service.environment()).as("nor does the pod say otherwise").doesNotContainKeys(
                "QUARKUS_DATASOURCE_REACTIVE_CACHE_PREPARED_STATEMENTS",
                "QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_USE_LAYER7_PROXY");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("services")
    void reachesKafkaThroughTheTlsListenerWithTheClusterCa(String overlay, String name) {
        DeployedService service = DeployedService.of(Overlay.named(overlay), name);
        Kafka kafka = service.overlay().all(Kafka.class).get(0);
        GenericKafkaListener listener = kafka.getSpec().getKafka().getListeners().stream()
                .filter(GenericKafkaListener::isTls).findFirst().orElseThrow();
        assertThat(listener.getAuth()).isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
        assertThat(service.variable("KAFKA_BOOTSTRAP_SERVERS"))
                .isEqualTo(kafka.getMetadata().getName() + "-kafka-bootstrap:" + listener.getPort());
        assertThat(service.config().resolve("kafka.bootstrap.servers", service.environment()))
                .isEqualTo(service.variable("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(service.variable("KAFKA_SECURITY_PROTOCOL")).isEqualTo("SASL_SSL");
        assertThat(service.variable("KAFKA_SASL_MECHANISM")).isEqualTo("SCRAM-SHA-512");
        assertThat(service.variable("KAFKA_SSL_TRUSTSTORE_TYPE")).isEqualTo("PEM");
        assertThat(listener.getNetworkPolicyPeers()).as("peers admitted to the listener")
                .anySatisfy(peer -> assertThat(service.podLabels())
                        .containsAllEntriesOf(peer.getPodSelector().getMatchLabels()));

        // The truststore is the file the cluster CA Secret's ca.crt is mounted as.
        Path truststore = Path.of(service.variable("KAFKA_SSL_TRUSTSTORE_LOCATION"));
        PodSpec pod = service.deployment().getSpec().getTemplate().getSpec();
        VolumeMount mount = service.container().getVolumeMounts().stream()
                .filter(candidate -> truststore.startsWith(candidate.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError(truststore + " is on no mounted volume"));
        Volume volume = pod.getVolumes().stream().filter(candidate -> candidate.getName().equals(mount.getName()))
                .findFirst().orElseThrow();
        assertThat(volume.getSecret().getSecretName()).isEqualTo(kafka.getMetadata().getName() + "-cluster-ca-cert");
        assertThat(volume.getSecret().getItems()).anySatisfy(item -> {
            assertThat(item.getKey()).isEqualTo("ca.crt");
            assertThat(Path.of(mount.getMountPath(), item.getPath())).isEqualTo(truststore);
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("services")
    void itsKafkaUserMayUseExactlyItsTopicsAndGroups(String overlay, String name) {
        DeployedService service = DeployedService.of(Overlay.named(overlay), name);
        SecretKeySelector credentials = service.secretOf("KAFKA_SASL_JAAS_CONFIG");
        assertThat(credentials.getKey()).isEqualTo("sasl.jaas.config");
        KafkaUser user = service.overlay().one(KafkaUser.class, credentials.getName());
        List<AclRule> acls = ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls();
        Set<String> topics = service.overlay().all(KafkaTopic.class).stream().map(ServiceWiringTest::topicName)
                .collect(Collectors.toSet());

        // Each operation an ACL grants must be one that a channel needs (Describe aside, which Kafka implies anyway).
        Map<AclRule, Set<AclOperation>> needed = new HashMap<>();
        for (ServiceConfig.Channel channel : service.config().kafkaChannels(service.environment())) {
            assertThat(topics).as("KafkaTopics").contains(channel.topic());
            AclOperation operation = channel.incoming() ? AclOperation.READ : AclOperation.WRITE;
            needed.computeIfAbsent(grant(acls, rule -> rule.getResource() instanceof AclRuleTopicResource topic
                    && topic.getName().equals(channel.topic()) && rule.getOperations().contains(operation),
                    name + " may " + operation + " topic " + channel.topic()), rule -> new HashSet<>())
                    .add(operation);
            if (channel.incoming()) {
                String group = channel.groupId() != null ? channel.groupId()
                        : service.config().resolve("quarkus.application.name", service.environment());
                needed.computeIfAbsent(grant(acls, rule -> rule.getResource() instanceof AclRuleGroupResource resource
                        && rule.getOperations().contains(AclOperation.READ) && matches(resource, group),
                        name + " may read as group " + group), rule -> new HashSet<>()).add(AclOperation.READ);
            }
        }
        assertThat(acls).as("ACLs of %s", name).allSatisfy(rule -> assertThat(rule.getOperations())
                .as("operations on %s %s that no channel needs", rule.getResource().getType(), resourceName(rule))
                .filteredOn(operation -> operation != AclOperation.DESCRIBE)
                .isSubsetOf(needed.getOrDefault(rule, Set.of())));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("services")
    void itsNetworkPolicyLetsOutExactlyWhatTheServiceTalksTo(String overlay, String name) {
        DeployedService service = DeployedService.of(Overlay.named(overlay), name);
        NetworkPolicy policy = service.overlay().one(NetworkPolicy.class, name);
        assertThat(service.podLabels()).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");

        Kafka kafka = service.overlay().all(Kafka.class).get(0);
        int kafkaPort = kafka.getSpec().getKafka().getListeners().stream().filter(GenericKafkaListener::isTls)
                .findFirst().orElseThrow().getPort();
        URI database = URI.create(service.config().resolve("quarkus.datasource.jdbc.url", service.environment())
                .substring("jdbc:".length()));
        Set<String> expected = new TreeSet<>();
        expected.add(peer(Map.of("strimzi.io/cluster", kafka.getMetadata().getName(), "strimzi.io/kind", "Kafka"),
                kafkaPort));
        expected.add(peer(Map.of("cnpg.io/cluster", database.getHost().replaceFirst("-rw$", "")), database.getPort()));
        expected.add(peer(Map.of("cnpg.io/poolerName", poolerOf(service).path("metadata").path("name").asText()),
                database.getPort()));
        for (URI peer : restClientUrls(service)) {
            Service target = service.overlay().one(Service.class, peer.getHost());
            expected.add(peer(target.getSpec().getSelector(), peer.getPort()));
        }

        Set<String> allowed = new TreeSet<>();
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            boolean dns = rule.getPorts().stream().allMatch(port -> port.getPort().getIntVal() == 53);
            if (dns) {
                continue;
            }
            for (NetworkPolicyPeer to : rule.getTo()) {
                for (NetworkPolicyPort port : rule.getPorts()) {
                    // Out of the namespace only to the monitoring one, where the trace collector runs.
                    allowed.add(to.getNamespaceSelector() == null
                            ? peer(to.getPodSelector().getMatchLabels(), port.getPort().getIntVal())
                            : "namespace " + peer(to.getNamespaceSelector().getMatchLabels(), port.getPort().getIntVal()));
                }
            }
        }
        URI collector = URI.create(service.variable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        expected.add("namespace " + peer(Map.of("coalition-tracker.org/monitoring", "true"), collector.getPort()));
        assertThat(collector.getHost()).as("the collector in the monitoring namespace").endsWith(".monitoring");
        assertThat(allowed).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("services")
    void admitsTheServicesThatCallIt(String overlay, String name) {
        DeployedService service = DeployedService.of(Overlay.named(overlay), name);
        NetworkPolicy policy = service.overlay().one(NetworkPolicy.class, name);
        for (String caller : DeployedService.NAMES) {
            DeployedService callingService = DeployedService.of(service.overlay(), caller);
            if (restClientUrls(callingService).stream().anyMatch(url -> url.getHost().equals(name))) {
                assertThat(policy.getSpec().getIngress()).as("%s admits %s", name, caller)
                        .anySatisfy(rule -> assertThat(rule.getFrom()).filteredOn(
                                from -> from.getPodSelector() != null && from.getNamespaceSelector() == null)
                                .anySatisfy(from -> assertThat(callingService.podLabels())
                                        .containsAllEntriesOf(from.getPodSelector().getMatchLabels())));
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("services")
    void runsLockedDownFromItsOwnImage(String overlay, String name) throws IOException {
        DeployedService service = DeployedService.of(Overlay.named(overlay), name);
        PodSpec pod = service.deployment().getSpec().getTemplate().getSpec();
        Container container = service.container();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).as("no variables beyond the manifest's").isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).as("the image's USER")
                .isEqualTo(Long.parseLong(match(dockerfile(), "(?m)^USER (\\d+)$")));
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/tmp");
            assertThat(pod.getVolumes()).anySatisfy(volume -> {
                assertThat(volume.getName()).isEqualTo(mount.getName());
                assertThat(volume.getEmptyDir()).isNotNull();
            });
        });

        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();
        assertThat(requests).containsKeys("cpu", "memory");
        assertThat(limits).containsKeys("cpu", "memory");
        assertThat(limits.get("memory").getNumericalAmount())
                .isGreaterThanOrEqualTo(requests.get("memory").getNumericalAmount());

        String registry = match(Files.readString(DEPLOY.resolve("build-images.sh")), "IMAGE_REGISTRY:-([^}]+)}");
        assertThat(container.getImage()).as("the image deploy/build-images.sh builds")
                .matches(Pattern.quote(registry + "/" + name) + ":[\\w][\\w.-]*");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("services")
    void scalesWithinBoundsAndDrainsOnePodAtATime(String overlay, String name) {
        DeployedService service = DeployedService.of(Overlay.named(overlay), name);
        HorizontalPodAutoscaler autoscaler = service.overlay().one(HorizontalPodAutoscaler.class, name);
        assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(name);
        assertThat(autoscaler.getSpec().getMinReplicas()).isPositive()
                .isLessThanOrEqualTo(autoscaler.getSpec().getMaxReplicas());
        assertThat(service.deployment().getSpec().getReplicas()).as("replicas, which the autoscaler owns").isNull();
        assertThat(service.deployment().getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
                .extracting(TopologySpreadConstraint::getTopologyKey)
                .containsExactlyInAnyOrder("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        PodDisruptionBudget budget = service.overlay().one(PodDisruptionBudget.class, name);
        assertThat(service.podLabels()).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).as("a drain can always move a pod")
                .isEqualTo(1);
    }

    /**
     * On a rollout or a drain no request fails: preStop waits while the pod leaves the Service's endpoints, Quarkus
     * then reports not ready and still serves for QUARKUS_SHUTDOWN_DELAY, then finishes what is in flight
     * (quarkus.shutdown.timeout), all within the grace period before the kill.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("services")
    void drainsItsTrafficBeforeItStops(String overlay, String name) {
        DeployedService service = DeployedService.of(Overlay.named(overlay), name);
        List<String> preStop = service.container().getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
        Duration drain = Duration.ofSeconds(Long.parseLong(preStop.get(1)))
                .plus(seconds(service.variable("QUARKUS_SHUTDOWN_DELAY")))
                .plus(seconds(service.config().resolve("quarkus.shutdown.timeout", service.environment())));
        assertThat(seconds(service.variable("QUARKUS_SHUTDOWN_DELAY"))).isPositive();
        assertThat(service.deployment().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("the grace period, against the drain's %s", drain).isGreaterThan(drain.toSeconds());
    }

    private static Duration seconds(String quarkusDuration) {
        return Duration.parse("PT" + quarkusDuration.toUpperCase());
    }

    /** An instance of metrics-service beyond the partitions of what it consumes would get none and do nothing. */
    @ParameterizedTest
    @FieldSource("overlays")
    void metricsServiceNeverScalesPastThePartitionsItConsumes(String name) {
        DeployedService metrics = DeployedService.of(Overlay.named(name), "metrics-service");
        int maxReplicas = metrics.overlay().one(HorizontalPodAutoscaler.class, "metrics-service").getSpec()
                .getMaxReplicas();
        assertThat(metrics.config().kafkaChannels(metrics.environment())).filteredOn(ServiceConfig.Channel::incoming)
                .isNotEmpty().allSatisfy(channel -> assertThat(metrics.overlay().all(KafkaTopic.class))
                        .filteredOn(topic -> topicName(topic).equals(channel.topic()))
                        .singleElement().satisfies(topic -> assertThat(topic.getSpec().getPartitions())
                                .isGreaterThanOrEqualTo(maxReplicas)));
    }

    @ParameterizedTest
    @FieldSource("overlays")
    void everyTopicIsUsedAndEveryServiceHasItsOwnDatabase(String name) {
        Overlay overlay = Overlay.named(name);
        List<DeployedService> services = DeployedService.NAMES.stream().map(service -> DeployedService.of(overlay,
                service)).toList();
        Set<String> used = services.stream().flatMap(service -> service.config().kafkaChannels(service.environment())
                .stream()).map(ServiceConfig.Channel::topic).collect(Collectors.toSet());
        assertThat(overlay.all(KafkaTopic.class)).extracting(ServiceWiringTest::topicName)
                .containsExactlyInAnyOrderElementsOf(used);
        assertThat(services).extracting(service -> service.variable("POSTGRES_HOST")).doesNotHaveDuplicates();
    }

    /**
     * A Secret is either written by an operator from a resource the overlay declares (with the key that operator
     * writes) or one the installer creates, which deploy/README.md must name.
     */
    @ParameterizedTest
    @FieldSource("overlays")
    void everyConfigMapAndSecretReferencedExistsOrIsDocumented(String name) throws IOException {
        Overlay overlay = Overlay.named(name);
        Map<String, Set<String>> operatorSecrets = new HashMap<>();
        overlay.all(KafkaUser.class).forEach(user -> operatorSecrets.put(user.getMetadata().getName(),
                Set.of("sasl.jaas.config", "password")));
        overlay.all(Kafka.class).forEach(kafka -> operatorSecrets.put(kafka.getMetadata().getName()
                + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password")));
        overlay.treesOfKind("Cluster").forEach(cluster -> operatorSecrets.put(
                cluster.path("metadata").path("name").asText() + "-app",
                Set.of("username", "password", "host", "port", "dbname", "uri", "jdbc-uri")));
        String readme = Files.readString(DEPLOY.resolve("README.md"));
        Set<String> configMaps = overlay.all(ConfigMap.class).stream().map(map -> map.getMetadata().getName())
                .collect(Collectors.toSet());

        List<String> problems = new ArrayList<>();
        for (Deployment deployment : overlay.all(Deployment.class)) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            List<String[]> secrets = new ArrayList<>();
            for (Container container : pod.getContainers()) {
                container.getEnvFrom().forEach(source -> {
                    if (!configMaps.contains(source.getConfigMapRef().getName())) {
                        problems.add("ConfigMap " + source.getConfigMapRef().getName() + " is not declared");
                    }
                });
                container.getEnv().stream().filter(variable -> variable.getValueFrom() != null)
                        .map(variable -> variable.getValueFrom().getSecretKeyRef())
                        .forEach(ref -> secrets.add(new String[] { ref.getName(), ref.getKey() }));
            }
            pod.getVolumes().stream().filter(volume -> volume.getSecret() != null).forEach(volume -> volume
                    .getSecret().getItems().forEach(item -> secrets.add(new String[] {
                            volume.getSecret().getSecretName(), item.getKey() })));
            for (String[] secret : secrets) {
                Set<String> keys = operatorSecrets.get(secret[0]);
                if (keys == null && !readme.contains("`" + secret[0] + "`")) {
                    problems.add("Secret " + secret[0] + " is neither an operator's nor documented in deploy/README.md");
                } else if (keys != null && !keys.contains(secret[1])) {
                    problems.add("Secret " + secret[0] + " has no key " + secret[1]);
                } else if (keys == null && !readme.contains("`" + secret[1] + "`")) {
                    problems.add("deploy/README.md does not name the key " + secret[1] + " of Secret " + secret[0]);
                }
            }
        }
        overlay.treesOfKind("ObjectStore").forEach(store -> store.path("spec").path("configuration")
                .path("s3Credentials").forEach(secret -> {
                    if (!readme.contains("`" + secret.path("name").asText() + "`")
                            || !readme.contains("`" + secret.path("key").asText() + "`")) {
                        problems.add("deploy/README.md does not name the Secret " + secret.path("name").asText()
                                + " and its key " + secret.path("key").asText());
                    }
                }));
        assertThat(problems).isEmpty();
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
    }

    private static String topicName(KafkaTopic topic) {
        return topic.getSpec().getTopicName() != null ? topic.getSpec().getTopicName()
                : topic.getMetadata().getName();
    }

    private static AclRule grant(List<AclRule> acls, Predicate<AclRule> test, String what) {
        return acls.stream().filter(test).findFirst().orElseThrow(() -> new AssertionError("no ACL lets " + what));
    }

    private static String resourceName(AclRule rule) {
        return rule.getResource() instanceof AclRuleTopicResource topic ? topic.getName()
                : rule.getResource() instanceof AclRuleGroupResource group ? group.getName() : "";
    }

    /** A group ACL covers a group id; a per-instance id needs a prefix ACL for all that comes before its uuid. */
    private static boolean matches(AclRuleGroupResource resource, String group) {
        int perInstance = group.indexOf(ServiceConfig.PER_INSTANCE);
        if (perInstance >= 0) {
            return resource.getPatternType() == AclResourcePatternType.PREFIX
                    && group.substring(0, perInstance).startsWith(resource.getName());
        }
        return resource.getPatternType() == AclResourcePatternType.PREFIX ? group.startsWith(resource.getName())
                : group.equals(resource.getName());
    }

    /** The CloudNativePG Pooler whose Service the service's reactive pool connects to. */
    private static JsonNode poolerOf(DeployedService service) {
        String host = URI.create(service.config().resolve("quarkus.datasource.reactive.url", service.environment()))
                .getHost();
        return service.overlay().treesOfKind("Pooler")
                .filter(tree -> tree.path("metadata").path("name").asText().equals(host)).findFirst()
                .orElseThrow(() -> new AssertionError(service.name() + " connects to " + host + ", no Pooler"));
    }

    private static List<URI> restClientUrls(DeployedService service) {
        return service.config().restClientUrls(service.environment()).stream().map(URI::create).toList();
    }

    private static String peer(Map<String, String> labels, int port) {
        return new TreeSet<>(labels.entrySet().stream().map(Object::toString).toList()) + ":" + port;
    }

    private static String dockerfile() throws IOException {
        return Files.readString(DEPLOY.resolve("container/Dockerfile.jvm"));
    }

    /** The first group of the regular expression's first match. */
    static String match(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("/%s/ in %s", regex, text).isTrue();
        return matcher.group(1);
    }
}
