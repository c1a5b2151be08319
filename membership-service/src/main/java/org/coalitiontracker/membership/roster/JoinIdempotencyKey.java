package org.coalitiontracker.membership.roster;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The Idempotency-Key a join was made with, and a hash of its body (V5__idempotency_keys.sql). */
@Entity
public class JoinIdempotencyKey extends PanacheEntityBase {

    @Id
    public String key;
    public String requestHash;
    public UUID clusterId;
    public Instant createdAt;
}
