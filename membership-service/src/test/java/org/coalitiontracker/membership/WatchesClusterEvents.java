package org.coalitiontracker.membership;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A test that reads what the service publishes on {@code cluster-events}. */
abstract class WatchesClusterEvents {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    final ObjectMapper mapper = new ObjectMapper();
    ClusterEventsTopic clusterEvents;

    @BeforeEach
    void watchClusterEvents() {
        clusterEvents = new ClusterEventsTopic(bootstrapServers);
    }

    @AfterEach
    void stopWatching() {
        clusterEvents.close();
    }
}
