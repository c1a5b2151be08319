package org.coalitiontracker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

/**
 * The optional component kubernetes/components/jwks, added to the prod overlay as an installer would
 * (src/test/kustomize/prod-with-jwks): membership-service reads the issuer's keys from a JWKS URL instead of the PEM,
 * a variable the service reads, and may reach HTTPS outside the cluster for it, and nothing else changes.
 */
class JwksComponentTest {

    private final DeployedService membership = DeployedService.of(Overlay.ofTest("prod-with-jwks"), "membership-service");

    @Test
    void membershipTakesTheIssuersKeysFromAJwksUrlInsteadOfThePem() {
        assertThat(membership.environment()).doesNotContainKey("MP_JWT_VERIFY_PUBLICKEY")
                .hasEntrySatisfying("MP_JWT_VERIFY_PUBLICKEY_LOCATION", url -> assertThat(url).startsWith("https://"));
        assertThat(membership.config().mentions("MP_JWT_VERIFY_PUBLICKEY_LOCATION"))
                .as("application.properties documents the variable").isTrue();
        assertThat(membership.environment()).containsAllEntriesOf(
                DeployedService.of(Overlay.named("prod"), "membership-service").environment().entrySet().stream()
                        .filter(entry -> !entry.getKey().equals("MP_JWT_VERIFY_PUBLICKEY"))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Test
    void membershipMayReachTheIssuerOverHttpsOutsideTheCluster() {
        NetworkPolicy policy = membership.overlay().one(NetworkPolicy.class, "membership-service");
        assertThat(policy.getSpec().getEgress()).anySatisfy(rule -> {
            assertThat(rule.getPorts()).singleElement()
                    .satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(443));
            assertThat(rule.getTo()).singleElement().satisfies(to -> {
                assertThat(to.getIpBlock().getCidr()).isEqualTo("0.0.0.0/0");
                assertThat(to.getIpBlock().getExcept()).contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
            });
        });
        assertThat(Overlay.named("prod").one(NetworkPolicy.class, "membership-service").getSpec().getEgress())
                .as("without the component").noneSatisfy(rule -> assertThat(rule.getPorts())
                        .anySatisfy(port -> assertThat(port.getPort().getIntVal()).isEqualTo(443)));
    }
}
