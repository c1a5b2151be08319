package org.coalitiontracker.reporting.coalition;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test that feeds the service through {@code coalition-totals}, as metrics-service does. */
abstract class FedByTotalsTopic {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** The views' consumer group, whose committed offsets say what the views have taken in. */
    @ConfigProperty(name = "mp.messaging.incoming.coalition-totals.group.id")
    String groupId;

    TotalsTopic topic;

    @BeforeEach
    void connectToTheTopic() {
        topic = new TotalsTopic(bootstrapServers);
    }

    @AfterEach
    void closeTheTopic() {
        topic.close();
    }
}
