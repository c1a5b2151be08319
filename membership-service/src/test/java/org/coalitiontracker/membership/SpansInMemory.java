package org.coalitiontracker.membership;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/** Where the tests' spans go: kept in memory (Quarkus exports to every SpanExporter bean), for a test to look at. */
public class SpansInMemory {

    @Produces
    @Singleton
    InMemorySpanExporter spans() {
        return InMemorySpanExporter.create();
    }
}
