package org.coalitiontracker.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

class TracerFollowsTheSdkTest {

    /** What Quarkus builds with the SDK off as with it on: a tracer provider whose default sampler samples all. */
    private static final OpenTelemetry QUARKUS_SDK = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().build()).build();

    @Test
    void withTheSdkOffASpanRecordsNothingAndNamesNoTraceToStore() {
        Span outboxRecord = outboxRecord(true);
        assertThat(outboxRecord.isRecording()).isFalse();
        assertThat(storedTraceParent(outboxRecord)).isNull();
    }

    @Test
    void withTheSdkOnASpanRecordsAndItsTraceIsStored() {
        Span outboxRecord = outboxRecord(false);
        assertThat(outboxRecord.isRecording()).isTrue();
        assertThat(TraceParent.span(storedTraceParent(outboxRecord)).getSpanId())
                .isEqualTo(outboxRecord.getSpanContext().getSpanId());
    }

    private static Span outboxRecord(boolean sdkOff) {
        return new TracerFollowsTheSdk().tracer(QUARKUS_SDK, sdkOff).spanBuilder("outbox record").startSpan();
    }

    /** The traceparent the outbox would store for a change made in the span. */
    private static String storedTraceParent(Span span) {
        try (Scope scope = span.makeCurrent()) {
            return TraceParent.ofCurrentTrace();
        }
    }
}
