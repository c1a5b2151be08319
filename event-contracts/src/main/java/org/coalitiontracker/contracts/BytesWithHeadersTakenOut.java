package org.coalitiontracker.contracts;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A record's value as it came, its headers taken out of the fetch response as it is read ({@link HeadersTakenOut}), for
 * a consumer that parses the value later, as it applies the batch.
 */
public class BytesWithHeadersTakenOut extends ByteArrayDeserializer {

    private final HeadersTakenOut headers = new HeadersTakenOut();

    @Override
    public byte[] deserialize(String topic, Headers headers, byte[] data) {
        this.headers.takeOut(headers);
        return data;
    }
}
