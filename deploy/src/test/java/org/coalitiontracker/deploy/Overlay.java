package org.coalitiontracker.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * One overlay of deploy/kubernetes as kubectl renders it, each object both as its tree and as its typed model. Objects
 * of a kind without Java models (CloudNativePG's Cluster) are kept as trees only.
 */
record Overlay(String name, List<JsonNode> trees, List<HasMetadata> models) {

    static final Path ROOT = Path.of(System.getProperty("coalition.root", ".."));
    static final Path KUSTOMIZE_ROOT = ROOT.resolve("deploy/kubernetes");
    static final List<String> NAMES = List.of("dev", "prod");

    /** Typed models by apiVersion and kind. */
    private static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class));

    /** Kinds checked against a JSON Schema in src/test/resources instead of Java models. */
    static final Map<String, String> SCHEMAS = Map.of("postgresql.cnpg.io/v1/Cluster", "/cnpg-cluster-v1.schema.json",
            "postgresql.cnpg.io/v1/ScheduledBackup", "/cnpg-scheduledbackup-v1.schema.json",
            "postgresql.cnpg.io/v1/Pooler", "/cnpg-pooler-v1.schema.json",
            "barmancloud.cnpg.io/v1/ObjectStore", "/barman-objectstore-v1.schema.json");

    /** As strict as the API server: a string is not taken for a number or a boolean. */
    static final ObjectMapper MAPPER = JsonMapper.builder().disable(MapperFeature.ALLOW_COERCION_OF_SCALARS).build();

    private static final Map<String, Overlay> RENDERED = new ConcurrentHashMap<>();

    static Overlay named(String name) {
        return RENDERED.computeIfAbsent(name, Overlay::render);
    }

    static String typeOf(JsonNode tree) {
        return tree.path("apiVersion").asText() + "/" + tree.path("kind").asText();
    }

    static Optional<Class<? extends HasMetadata>> modelOf(JsonNode tree) {
        return Optional.ofNullable(MODELS.get(typeOf(tree)));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return models.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream().filter(model -> model.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(this.name + " renders no " + type.getSimpleName() + " " + name));
    }

    Stream<JsonNode> treesOfKind(String kind) {
        return trees.stream().filter(tree -> tree.path("kind").asText().equals(kind));
    }

    /** A kustomization of the tests' own, such as an overlay with an optional component (src/test/kustomize). */
    static Overlay ofTest(String name) {
        return RENDERED.computeIfAbsent("test:" + name,
                key -> render(name, ROOT.resolve("deploy/src/test/kustomize").resolve(name)));
    }

    private static Overlay render(String name) {
        return render(name, KUSTOMIZE_ROOT.resolve("overlays").resolve(name));
    }

    private static Overlay render(String name, Path directory) {
        String yaml = kustomize(directory);
        try {
            List<JsonNode> trees = new YAMLMapper().readerFor(JsonNode.class).<JsonNode> readValues(yaml).readAll();
            List<HasMetadata> models = trees.stream().filter(tree -> modelOf(tree).isPresent())
                    .<HasMetadata> map(tree -> toModel(tree, modelOf(tree).orElseThrow())).toList();
            return new Overlay(name, trees, models);
        } catch (IOException e) {
            throw new AssertionError("kubectl kustomize rendered something that is not YAML", e);
        }
    }

    private static <T> T toModel(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (IOException e) {
            throw new AssertionError(typeOf(tree) + " " + tree.path("metadata").path("name").asText()
                    + " does not fit its model: " + e.getMessage(), e);
        }
    }

    /** Renders offline, as CI does: kubectl's built-in kustomize needs no cluster. */
    private static String kustomize(Path dir) {
        try {
            Process kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
            byte[] out = kubectl.getInputStream().readAllBytes();
            String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("kubectl is needed to render deploy/kubernetes (it ships kustomize)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
