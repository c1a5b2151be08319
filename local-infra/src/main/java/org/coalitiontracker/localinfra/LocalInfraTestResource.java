package org.coalitiontracker.localinfra;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} run a real Kafka broker of its own (fresh data directory, free ports), a fresh
 * PostgreSQL database named by the init arg {@code database}, and a development key pair whose public key the
 * service trusts for bearer tokens ({@code mp.jwt.verify.publickey}).
 * <p>
 * With {@code -Dcoalition.dev-services=true} it provides nothing, so that Quarkus Dev Services start Kafka and
 * PostgreSQL in containers instead (hosts with Docker only).
 * <p>
 * Tests may inject the broker (to stop and restart it) and the tokens with {@link InjectLocalInfra}.
 */
public class LocalInfraTestResource implements QuarkusTestResourceLifecycleManager {

    private String database;
    private KafkaBroker broker;
    private final DevelopmentTokens tokens = DevelopmentTokens.newKeyPair();

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
    }

    @Override
    public Map<String, String> start() {
        if (Boolean.getBoolean("coalition.dev-services")) {
            return Map.of();
        }
        broker = KafkaBroker.inFreshDirectory().start();
        Map<String, String> config = new HashMap<>(PostgresDatabase.named(database).recreate().quarkusConfig());
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("mp.jwt.verify.publickey", tokens.publicKeyPem());
        config.put("mp.jwt.verify.issuer", DevelopmentTokens.ISSUER);
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker,
                new TestInjector.AnnotatedAndMatchesType(InjectLocalInfra.class, KafkaBroker.class));
        testInjector.injectIntoFields(tokens,
                new TestInjector.AnnotatedAndMatchesType(InjectLocalInfra.class, DevelopmentTokens.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
