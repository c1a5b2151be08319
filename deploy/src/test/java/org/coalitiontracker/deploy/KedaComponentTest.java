package org.coalitiontracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/**
 * The optional component kubernetes/components/keda-lag, added to the prod overlay as an installer would
 * (src/test/kustomize/prod-with-keda): metrics-service scales on its consumer group's lag on cluster-events, within
 * the topic's partitions, and no second autoscaler is left to fight KEDA's.
 */
class KedaComponentTest {

    private final Overlay overlay = Overlay.ofTest("prod-with-keda");
    private final DeployedService metrics = DeployedService.of(overlay, "metrics-service");

    @Test
    void metricsServiceScalesOnTheLagOfItsOwnConsumerGroupWithinThePartitions() {
        ServiceConfig.Channel events = metrics.config().kafkaChannels(metrics.environment()).stream()
                .filter(ServiceConfig.Channel::incoming).filter(channel -> channel.topic().equals("cluster-events"))
                .findFirst().orElseThrow();
        JsonNode scaled = overlay.treesOfKind("ScaledObject").findFirst().orElseThrow();
        assertThat(scaled.path("metadata").path("namespace").asText())
                .isEqualTo(metrics.deployment().getMetadata().getNamespace());
        assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo("metrics-service");
        assertThat(scaled.path("spec").path("triggers")).singleElement().satisfies(trigger -> {
            assertThat(trigger.path("type").asText()).isEqualTo("prometheus");
            assertThat(trigger.path("metadata").path("query").asText()).contains("kafka_consumergroup_lag",
                    "consumergroup=\"" + events.groupId() + "\"", "topic=\"" + events.topic() + "\"");
        });
        int partitions = overlay.all(KafkaTopic.class).stream()
                .filter(topic -> topic.getMetadata().getName().equals("cluster-events")).findFirst().orElseThrow()
                .getSpec().getPartitions();
        assertThat(scaled.path("spec").path("maxReplicaCount").asInt()).isBetween(1, partitions);
        assertThat(scaled.path("spec").path("minReplicaCount").asInt()).isPositive();
    }

    @Test
    void kedaReplacesMetricsServicesAutoscalerAndLeavesTheOthers() {
        assertThat(overlay.all(HorizontalPodAutoscaler.class)).extracting(hpa -> hpa.getMetadata().getName())
                .containsExactlyInAnyOrder("membership-service", "reporting-service");
    }
}
