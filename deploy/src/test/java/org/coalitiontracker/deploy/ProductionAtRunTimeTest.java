package org.coalitiontracker.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.coalitiontracker.localinfra.DevelopmentTokens;
import org.coalitiontracker.localinfra.KafkaBroker;
import org.coalitiontracker.localinfra.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;

/**
 * The prod overlay's configuration, run on this machine rather than only read: a broker that listens as the Strimzi
 * cluster's do (TLS, SCRAM-SHA-512, the authorizer on) and grants exactly the ACLs of the rendered KafkaUsers,
 * PgBouncer as each rendered Pooler configures it, and the three packaged services each started as its rendered
 * Deployment's pod ({@link Pod}: its environment, volumes, user,
 * read-only root and memory limit). A variable a service does not read, a truststore path that is not where the CA is
 * mounted, an ACL missing for a channel or a probe on the wrong port makes one of these tests fail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductionAtRunTimeTest {

    private static final Overlay PROD = Overlay.named("prod");
    private static final Path WORK = Path.of("target", "production-at-run-time").toAbsolutePath();
    private static final PostgresDatabase SERVER = PostgresDatabase.named("postgres");
    private static final String DATABASE_PREFIX = "prod_run_";

    private static KafkaBroker broker;
    private static DevelopmentTokens tokens;
    private static final Map<String, Map<String, String>> SECRETS = new HashMap<>();
    /** The cluster's names as this machine has them: exact values, then host:port pairs within values. */
    private static final Map<String, String> NAMES = new LinkedHashMap<>();
    private static final Map<String, String> HOST_PORTS = new LinkedHashMap<>();
    private static final Map<String, Pod> PODS = new LinkedHashMap<>();
    private static final List<PgBouncer> BOUNCERS = new ArrayList<>();

    @BeforeAll
    static void startTheSystemAsProdConfiguresIt() throws Exception {
        ClusterCa ca = ClusterCa.createIn(WORK.resolve("cluster-ca"));
        broker = KafkaBroker.inFreshDirectory().withSaslSsl(ca.brokerKeystore(), ca.keystorePassword()).start();
        // What Strimzi's operators write: the cluster CA's certificate, and each KafkaUser's credentials and ACLs.
        SECRETS.put("coalition-cluster-ca-cert", Map.of("ca.crt", ca.certificatePem()));
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            for (KafkaUser user : PROD.all(KafkaUser.class)) {
                String name = user.getMetadata().getName();
                String password = UUID.randomUUID().toString();
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(name,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
                admin.createAcls(aclsOf(user)).all().get();
                SECRETS.put(name, Map.of("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"" + name + "\" password=\"" + password + "\";"));
            }
        }
        Kafka kafka = PROD.all(Kafka.class).get(0);
        int tlsPort = kafka.getSpec().getKafka().getListeners().stream().filter(GenericKafkaListener::isTls)
                .findFirst().orElseThrow().getPort();
        HOST_PORTS.put(kafka.getMetadata().getName() + "-kafka-bootstrap:" + tlsPort,
                broker.saslSslBootstrapServers());

        // What CloudNativePG writes and runs: a database per Cluster, owned by its application user (Secret
        // <cluster>-app), reached through the Pooler's PgBouncer or the Cluster's own Service <cluster>-rw.
        for (JsonNode cluster : PROD.treesOfKind("Cluster").toList()) {
            String name = cluster.path("metadata").path("name").asText();
            JsonNode initdb = cluster.path("spec").path("bootstrap").path("initdb");
            String database = DATABASE_PREFIX + initdb.path("database").asText();
            String owner = DATABASE_PREFIX + initdb.path("owner").asText();
            String password = UUID.randomUUID().toString();
            createOwnedDatabase(database, owner, password);
            SECRETS.put(name + "-app", Map.of("username", owner, "password", password));
            NAMES.put(initdb.path("database").asText(), database);
            NAMES.put(name + "-rw", SERVER.host());
        }
        for (JsonNode pooler : PROD.treesOfKind("Pooler").toList()) {
            String user = SECRETS.get(pooler.path("spec").path("cluster").path("name").asText() + "-app")
                    .get("username");
            PgBouncer bouncer = PgBouncer.start(pooler, SERVER.host(), SERVER.port(), List.of(user),
                    WORK.resolve("pgbouncer"));
            BOUNCERS.add(bouncer);
            NAMES.put(pooler.path("metadata").path("name").asText(), bouncer.host());
        }
        NAMES.put("5432", String.valueOf(SERVER.port()));

        // The installer's Secret: the token issuer's public key.
        String issuer = DeployedService.of(PROD, "membership-service").variable("MEMBERSHIP_JWT_ISSUER");
        tokens = DevelopmentTokens.newKeyPair(issuer);
        SECRETS.put("membership-jwt", Map.of("public-key.pem", tokens.publicKeyPem()));

        for (String name : DeployedService.NAMES) {
            start(name);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Pod pod : PODS.values()) {
            pod.close();
        }
        for (PgBouncer bouncer : BOUNCERS) {
            bouncer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void everyProbeAnswersOnThePortAndPathTheManifestNames() {
        PODS.forEach((name, pod) -> {
            DeployedService service = DeployedService.of(PROD, name);
            for (Probe probe : List.of(service.container().getStartupProbe(), service.container().getLivenessProbe(),
                    service.container().getReadinessProbe())) {
                given().when().get(pod.uri(probe.getHttpGet().getPort(), probe.getHttpGet().getPath()))
                        .then().statusCode(200).body("status", equalTo("UP"));
            }
        });
    }

    /**
     * As the pod's user (not root), on a read-only root filesystem where its emptyDir (/tmp, a tmpfs) is the one
     * writable place and its Secrets (the cluster CA) are mounted read-only; and no setting the pod gives is unknown to Quarkus
     * or deprecated.
     */
    @Test
    @Order(2)
    void eachServiceRunsAsItsPodWithOnlyTmpWritableAndLogsJsonLines() throws Exception {
        for (Map.Entry<String, Pod> entry : PODS.entrySet()) {
            DeployedService service = DeployedService.of(PROD, entry.getKey());
            Pod pod = entry.getValue();
            long user = service.deployment().getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
            assertThat(pod.processStatus()).filteredOn(line -> line.startsWith("Uid:")).singleElement()
                    .asString().matches("Uid:\\s+" + user + "\\s+" + user + "\\s+" + user + "\\s+" + user);
            // mountinfo: ID, parent, device, root, mount point, options, ... - type source super-options
            Map<String, String[]> mounts = new HashMap<>();
            for (String line : pod.mounts()) {
                String[] fields = line.split(" ");
                mounts.put(fields[4], fields);
            }
            assertThat(mounts.get("/")[5]).as("the root filesystem's options").startsWith("ro");
            for (VolumeMount mount : service.container().getVolumeMounts()) {
                String[] fields = mounts.get(mount.getMountPath());
                assertThat(fields).as("a mount at %s", mount.getMountPath()).isNotNull();
                boolean emptyDir = service.deployment().getSpec().getTemplate().getSpec().getVolumes().stream()
                        .anyMatch(volume -> volume.getName().equals(mount.getName()) && volume.getEmptyDir() != null);
                assertThat(String.join(" ", fields)).as(mount.getMountPath())
                        .matches(emptyDir ? ".* rw,.* - tmpfs .*" : ".* ro,.*");
            }
            assertThat(pod.log()).as("Quarkus' warnings about its configuration").doesNotContain("[io.quarkus.config]")
                    .doesNotContain("\"loggerName\":\"io.quarkus.config\"");
            // JSON lines, one object per line, for a log collector.
            assertThat(pod.log().lines().filter(line -> !line.isBlank())).as("the pod's log").isNotEmpty()
                    .allSatisfy(line -> assertThat(line).startsWith("{\"timestamp\":").endsWith("}"));
        }
    }

    @Test
    @Order(3)
    void theApiPortRefusesManagementPathsAndSwaggerUiIsOff() {
        PODS.forEach((name, pod) -> {
            for (String path : List.of("/q/health", "/q/health/ready", "/q/metrics", "/q/openapi", "/q/swagger-ui")) {
                given().when().get(pod.baseUri() + path).then().statusCode(404);
            }
            Probe readiness = DeployedService.of(PROD, name).container().getReadinessProbe();
            given().when().get(pod.uri(readiness.getHttpGet().getPort(), "/q/swagger-ui")).then().statusCode(404);
        });
    }

    @Test
    @Order(4)
    void aJoinWithTheIssuersTokenReachesTheCoalition() {
        DeployedService membership = DeployedService.of(PROD, "membership-service");
        given().baseUri(PODS.get("membership-service").baseUri()).contentType("application/json")
                .auth().oauth2(tokens.tokenFor(membership.variable("MEMBERSHIP_JWT_AUDIENCE"), "prod-run",
                        "publisher"))
                .body("""
                        {"name": "Luleå Fossil-Free Steel Cluster", "country": "SE", "joinedOn": "2025-06-30",
                         "sectors": ["STEEL", "HYDROGEN"], "emissionsReductionMtPerYear": 15.846, "jobs": 69230,
                         "gdpUsdBn": 10.000}""")
                .when().post("/clusters")
                .then().statusCode(201);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                .when().get(PODS.get("reporting-service").baseUri() + "/coalition")
                .then().statusCode(200).body("clusters", equalTo(1)).body("jobs", equalTo(69230)));
    }

    /** A record no consumer can apply goes to each consumer's dead-letter topic, which its ACLs let it write. */
    @Test
    @Order(5)
    void aRecordNoConsumerCanApplyIsDeadLettered() throws Exception {
        String hostile = "{\"not\": \"a ClusterJoined\", \"run\": \"" + UUID.randomUUID() + "\"}";
        Properties producer = new Properties();
        producer.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, String> publisher = new KafkaProducer<>(producer, new StringSerializer(),
                new StringSerializer())) {
            publisher.send(new ProducerRecord<>("cluster-events", "hostile", hostile)).get();
        }
        // Each consumer of cluster-events writes its own dead-letter topic, cluster-events[.<service>].dlq.
        List<String> deadLetterTopics = new ArrayList<>();
        for (String name : List.of("metrics-service", "reporting-service")) {
            DeployedService service = DeployedService.of(PROD, name);
            service.config().kafkaChannels(service.environment()).stream()
                    .filter(channel -> !channel.incoming() && channel.topic().matches("cluster-events(\\.[a-z]+)?\\.dlq"))
                    .forEach(channel -> deadLetterTopics.add(channel.topic()));
        }
        assertThat(deadLetterTopics).containsExactlyInAnyOrder("cluster-events.dlq", "cluster-events.reporting.dlq");
        for (String topic : deadLetterTopics) {
            await("the hostile record on " + topic).atMost(Duration.ofSeconds(60))
                    .until(() -> valuesOn(topic).contains(hostile));
        }
        everyProbeAnswersOnThePortAndPathTheManifestNames();
    }

    /** deploy/README.md's rebuild: metrics-service stopped, its totals forgotten, and cluster-events read again. */
    @Test
    @Order(6)
    void theTotalsRebuildFromClusterEventsUnderTheAcls() throws Exception {
        PODS.remove("metrics-service").close();
        try (Connection connection = DriverManager.getConnection(
                PostgresDatabase.named(DATABASE_PREFIX + "metrics").jdbcUrl(), SERVER.user(), SERVER.password());
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT forget_totals()");
        }
        Pod metrics = start("metrics-service");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given()
                .when().get(metrics.baseUri() + "/reconciliation")
                .then().statusCode(200).body("status", equalTo("EQUAL")));
        given().when().get(metrics.baseUri() + "/totals/coalition").then().statusCode(200)
                .body("clusters", equalTo(1)).body("jobs", equalTo(69230));
    }

    /** Starts one service's pod, once the Services it calls point at pods here, and waits for its probes. */
    private static Pod start(String name) throws InterruptedException {
        Pod pod = Pod.start(DeployedService.of(PROD, name), SECRETS, ProductionAtRunTimeTest::local, WORK);
        // Stopped after the tests, even when it never becomes ready.
        PODS.put(name, pod);
        pod.awaitProbes();
        for (Service service : PROD.all(Service.class)) {
            if (name.equals(service.getSpec().getSelector().get("app.kubernetes.io/name"))) {
                for (ServicePort port : service.getSpec().getPorts()) {
                    HOST_PORTS.put(service.getMetadata().getName() + ":" + port.getPort(),
                            pod.uri(port.getTargetPort(), "").getAuthority());
                }
            }
        }
        return pod;
    }

    private static String local(String value) {
        if (NAMES.containsKey(value)) {
            return NAMES.get(value);
        }
        String local = value;
        for (Map.Entry<String, String> hostPort : HOST_PORTS.entrySet()) {
            local = local.replace(hostPort.getKey(), hostPort.getValue());
        }
        return local;
    }

    /** Each operation of each rule, for the user's principal, as Strimzi's user operator grants them. */
    private static List<AclBinding> aclsOf(KafkaUser user) {
        String principal = "User:" + user.getMetadata().getName();
        List<AclBinding> bindings = new ArrayList<>();
        for (AclRule rule : ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()) {
            ResourcePattern resource;
            if (rule.getResource() instanceof AclRuleTopicResource topic) {
                resource = new ResourcePattern(ResourceType.TOPIC, topic.getName(), pattern(topic.getPatternType()));
            } else if (rule.getResource() instanceof AclRuleGroupResource group) {
                resource = new ResourcePattern(ResourceType.GROUP, group.getName(), pattern(group.getPatternType()));
            } else {
                throw new AssertionError("a KafkaUser rule on " + rule.getResource().getType() + ", which this test "
                        + "does not grant");
            }
            for (var operation : rule.getOperations()) {
                bindings.add(new AclBinding(resource, new AccessControlEntry(principal,
                        rule.getHost() == null ? "*" : rule.getHost(),
                        AclOperation.valueOf(kafkaName(operation.name())),
                        rule.getType() == AclRuleType.DENY ? AclPermissionType.DENY : AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    /** Strimzi's operation names run words together (DESCRIBECONFIGS); Kafka's separate them (DESCRIBE_CONFIGS). */
    private static String kafkaName(String strimziName) {
        for (AclOperation operation : AclOperation.values()) {
            if (operation.name().replace("_", "").equals(strimziName)) {
                return operation.name();
            }
        }
        throw new AssertionError("no Kafka ACL operation " + strimziName);
    }

    private static PatternType pattern(AclResourcePatternType type) {
        return type == AclResourcePatternType.PREFIX ? PatternType.PREFIXED : PatternType.LITERAL;
    }

    /** Every value on a topic so far, read as the broker's super user. */
    private static List<String> valuesOn(String topic) {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(partition -> new TopicPartition(topic, partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    private static void createOwnedDatabase(String database, String owner, String password) throws SQLException {
        PostgresDatabase.named(database).recreate();
        try (Connection connection = DriverManager.getConnection(PostgresDatabase.named("postgres").jdbcUrl(),
                SERVER.user(), SERVER.password()); Statement statement = connection.createStatement()) {
            statement.execute("DO $$ BEGIN CREATE ROLE " + owner + " LOGIN; EXCEPTION WHEN duplicate_object THEN "
                    + "NULL; END $$");
            statement.execute("ALTER ROLE " + owner + " PASSWORD '" + password + "'");
            statement.execute("ALTER DATABASE " + database + " OWNER TO " + owner);
        }
    }
}
