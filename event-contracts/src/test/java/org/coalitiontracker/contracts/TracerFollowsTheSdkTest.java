package org.coalitiontracker.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

class TracerFollowsTheSdkTest {

    /** What Quarkus builds with the SDK off as with it on: a tracer provider whose default sampler samples all. */
    private static final OpenTelemetry QUARKUS_SDK = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().build()).build();

    @Test
    void withTheSdkOffASpanRecordsNothingAndNamesNoTraceToStore() {
        Tracer tracer = new TracerFollowsTheSdk().tracer(QUARKUS_SDK, true);

        Span outboxRecord = tracer.spanBuilder("outbox record").startSpan();
        assertThat(outboxRecord.isRecording()).isFalse();
        try (Scope scope = outboxRecord.makeCurrent()) {
            assertThat(TraceParent.ofCurrentTrace()).isNull();
        }
    }

    @Test
    void withTheSdkOnASpanRecordsAndItsTraceIsStored() {
        Tracer tracer = new TracerFollowsTheSdk().tracer(QUARKUS_SDK, false);

        Span outboxRecord = tracer.spanBuilder("outbox record").startSpan();
        assertThat(outboxRecord.isRecording()).isTrue();
        try (Scope scope = outboxRecord.makeCurrent()) {
            assertThat(TraceParent.span(TraceParent.ofCurrentTrace()).getSpanId())
                    .isEqualTo(outboxRecord.getSpanContext().getSpanId());
        }
    }
}
