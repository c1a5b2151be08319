package org.coalitiontracker.localinfra;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} run a real Kafka broker of its own (fresh data directory, free ports) and a fresh
 * PostgreSQL database named by the init arg {@code database}.
 * <p>
 * With {@code -Dcoalition.dev-services=true} it provides nothing, so that Quarkus Dev Services start Kafka and
 * PostgreSQL in containers instead (hosts with Docker only).
 * <p>
 * Tests may inject the broker with {@link InjectKafkaBroker} to stop and restart it.
 */
public class LocalInfraTestResource implements QuarkusTestResourceLifecycleManager {

    private String database;
    private KafkaBroker broker;

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
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker,
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaBroker.class, KafkaBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
