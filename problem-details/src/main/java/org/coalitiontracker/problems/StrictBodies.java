package org.coalitiontracker.problems;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Request bodies are read so that a value is never changed on the way in: Jackson would otherwise store
 * {@code "jobs": 1.9} as 1, keep the second of two {@code jobs} fields and ignore what follows the body. A number
 * written as a string ({@code "30.500"}, as clients that keep decimals exact send them) is still read, exactly.
 */
@Singleton
public class StrictBodies implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    }
}
