package org.coalitiontracker.contracts;

/**
 * Whether a consumer holds records it took in from its topics and has not yet applied: a write under way, retries
 * included. When the service stops, {@link ConsumersStopFirst} waits for it to hold none before the channels close.
 */
public interface RecordsInHand {

    boolean any();
}
