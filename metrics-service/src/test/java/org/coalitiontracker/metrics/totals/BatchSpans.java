package org.coalitiontracker.metrics.totals;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/** The spans the batches make in a test, kept in memory (Quarkus exports to every SpanExporter bean). */
public class BatchSpans {

    @Produces
    @Singleton
    InMemorySpanExporter finished() {
        return InMemorySpanExporter.create();
    }
}
