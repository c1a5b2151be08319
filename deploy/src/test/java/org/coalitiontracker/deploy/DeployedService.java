package org.coalitiontracker.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * One service as an overlay deploys it: its Deployment, its container, the environment the container gets (from
 * ConfigMaps, literal values and Secret references) and the service's own configuration.
 */
record DeployedService(Overlay overlay, String name, Deployment deployment, Container container,
        Map<String, String> environment, ServiceConfig config) {

    static final List<String> NAMES = List.of("membership-service", "metrics-service", "reporting-service");

    static DeployedService of(Overlay overlay, String name) {
        Deployment deployment = overlay.one(Deployment.class, name);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(candidate -> candidate.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("Deployment " + name + " has no container " + name));
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            environment.putAll(overlay.one(ConfigMap.class, source.getConfigMapRef().getName()).getData());
        }
        for (EnvVar variable : container.getEnv()) {
            SecretKeySelector secret = variable.getValueFrom() == null ? null
                    : variable.getValueFrom().getSecretKeyRef();
            environment.put(variable.getName(), secret == null ? variable.getValue()
                    : "<secret " + secret.getName() + "/" + secret.getKey() + ">");
        }
        return new DeployedService(overlay, name, deployment, container, environment, ServiceConfig.of(name));
    }

    /** The Secret and key a variable comes from. */
    SecretKeySelector secretOf(String variable) {
        return container.getEnv().stream().filter(candidate -> candidate.getName().equals(variable))
                .filter(candidate -> candidate.getValueFrom() != null
                        && candidate.getValueFrom().getSecretKeyRef() != null)
                .map(candidate -> candidate.getValueFrom().getSecretKeyRef()).findFirst()
                .orElseThrow(() -> new AssertionError(name + " takes " + variable + " from no Secret"));
    }

    String variable(String name) {
        String value = environment.get(name);
        if (value == null) {
            throw new AssertionError(this.name + " is not given " + name);
        }
        return value;
    }

    Map<String, String> podLabels() {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }
}
