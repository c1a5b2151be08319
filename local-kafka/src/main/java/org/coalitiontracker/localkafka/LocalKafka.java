package org.coalitiontracker.localkafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Runs a single-node Apache Kafka broker (KRaft, combined broker and controller) in this JVM.
 * <p>
 * Started as its own process, by local-infra's {@code KafkaBroker} in tests and by {@code deploy/local/start.sh}
 * for development, with this module's {@code target/classes} and {@code target/broker-lib/*} on the classpath:
 *
 * <pre>
 * java -cp ... org.coalitiontracker.localkafka.LocalKafka --dir DIR --port 9092 --controller-port 9093
 * </pre>
 *
 * With {@code --sasl-ssl-port PORT --keystore FILE.p12 --keystore-password SECRET} it also listens as the
 * Kubernetes deployment's brokers do: TLS with SCRAM-SHA-512 clients, and ACLs enforced (StandardAuthorizer). The
 * plaintext listener then serves the broker itself and the tests' administration, as a super user.
 *
 * The data directory is formatted on first use and kept afterwards, so a restart keeps every topic. It prints
 * {@value #READY_LINE} once clients can use it.
 */
public final class LocalKafka {

    /** The line printed once the broker accepts clients and the system's topics exist. */
    public static final String READY_LINE = "Local Kafka ready";

    /**
     * Compaction leaves the segment being written alone: with Kafka's 1 GiB segments every TotalsChanged of a
     * million-cluster import stayed, and reporting-service's rebuild read them all (as in the Kubernetes topic).
     */
    private static final String COALITION_TOTALS_SEGMENT_BYTES = "16777216";

    /**
     * The topics the services expect, created up front as the Kubernetes deployment declares them, so that no
     * consumer waits for a topic to be auto-created on first use.
     */
    static final List<NewTopic> TOPICS = List.of(
            new NewTopic("cluster-events", 3, (short) 1),
            new NewTopic("cluster-events.dlq", 1, (short) 1),
            new NewTopic("cluster-events.reporting.dlq", 1, (short) 1),
            new NewTopic("coalition-totals.reporting.dlq", 1, (short) 1),
            new NewTopic("coalition-totals", 3, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.SEGMENT_BYTES_CONFIG, COALITION_TOTALS_SEGMENT_BYTES)),
            new NewTopic("coalition-reconciliation", 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));

    private LocalKafka() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(option(args, "--dir", "target/kafka"));
        int port = Integer.parseInt(option(args, "--port", "9092"));
        int controllerPort = Integer.parseInt(option(args, "--controller-port", "9093"));

        // Warnings only, but the line that says the broker is ready.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer", "info");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");

        Files.createDirectories(dir);
        Path config = dir.resolve("server.properties");
        String properties = serverProperties(dir.resolve("data"), port, controllerPort);
        String saslSslPort = option(args, "--sasl-ssl-port", null);
        if (saslSslPort != null) {
            properties = secured(properties, port, Integer.parseInt(saslSslPort),
                    Path.of(option(args, "--keystore", null)), option(args, "--keystore-password", null));
        }
        Files.writeString(config, properties);
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            format(config);
        }
        Thread topics = new Thread(() -> createTopics("127.0.0.1:" + port), "create-topics");
        topics.setDaemon(true);
        topics.start();
        kafka.Kafka.main(new String[] { config.toString() });
    }

    /** Creates the missing topics once the broker answers, then says it is ready. */
    private static void createTopics(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (NewTopic topic : TOPICS) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // A data directory kept from before gets the topic's settings as declared now, as Strimzi's topic
                    // operator would reconcile them.
                    if (topic.configs() != null) {
                        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC,
                                topic.name()),
                                topic.configs().entrySet().stream()
                                        .map(config -> new AlterConfigOp(new ConfigEntry(config.getKey(), config.getValue()),
                                                AlterConfigOp.OpType.SET))
                                        .toList()))
                                .all().get();
                    }
                }
            }
            System.out.println(READY_LINE + " on " + bootstrapServers + " with topics "
                    + TOPICS.stream().map(NewTopic::name).toList());
        } catch (Exception e) {
            System.err.println("Creating the topics failed: " + e);
            Runtime.getRuntime().halt(1);
        }
    }

    static String serverProperties(Path dataDir, int port, int controllerPort) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir.toAbsolutePath(),
                // Topics are declared (TOPICS here, KafkaTopic resources on Kubernetes): a wrong name fails loudly.
                "auto.create.topics.enable=false",
                // One node: every internal topic has a single replica.
                "offsets.topic.replication.factor=1",
                // One partition instead of 50: the first consumer group then joins in well under a second.
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    /**
     * Adds a SASL_SSL listener with SCRAM-SHA-512 and turns the authorizer on. Its principals are the SCRAM users; on
     * the plaintext and controller listeners the principal is ANONYMOUS, the super user that runs the broker.
     */
    static String secured(String properties, int port, int saslSslPort, Path keystore, String keystorePassword) {
        String plaintext = "PLAINTEXT://127.0.0.1:" + port;
        String saslSsl = "SASL_SSL://127.0.0.1:" + saslSslPort;
        // Next to the plaintext address in both listeners and advertised.listeners.
        return properties.replace(plaintext, plaintext + "," + saslSsl)
                .replace("listener.security.protocol.map=PLAINTEXT:PLAINTEXT",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL")
                + String.join("\n",
                        "sasl.enabled.mechanisms=SCRAM-SHA-512",
                        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
                                + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                        "ssl.keystore.type=PKCS12",
                        "ssl.keystore.location=" + keystore.toAbsolutePath(),
                        "ssl.keystore.password=" + keystorePassword,
                        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "super.users=User:ANONYMOUS",
                        "");
    }

    /**
     * Formats the storage with Kafka's own tool in a child JVM: the tool ends by calling System.exit. The cluster id
     * comes from Kafka's Uuid, which never starts with '-' (the tool would take such an id for an option).
     */
    private static void format(Path config) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"), "kafka.tools.StorageTool",
                "format", "--ignore-formatted", "-t", Uuid.randomUuid().toString(), "-c", config.toString());
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("Formatting the Kafka storage failed: " + command);
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
