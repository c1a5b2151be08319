package org.coalitiontracker.membership.web;

import java.time.Duration;
import java.time.Instant;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Remembers the publishers' tokens that passed verification, for a minute at most. A publisher sends the same token with
 * every join for as long as it is valid, and verifying it again (its signature, its claims parsed anew) was about a
 * seventh of a join's CPU (JFR, benchmarks/join-throughput.sh). Only a token that passed is kept, under its whole text,
 * and never past its exp: once that has passed, it is verified again, so the cache accepts nothing the verifier would
 * refuse. Nor longer than {@link #REMEMBERED}: with a JWKS URL, a key the issuer withdraws stops working at the
 * verifier's next refresh of the key set, and a token it signed a minute after that. Bounded, so that a flood of valid
 * tokens costs at most {@value #MOST} entries (a few KiB each).
 */
@Decorator
@Priority(1)
abstract class PublisherTokens implements JWTParser {

    private static final int MOST = 1_000;
    private static final Duration REMEMBERED = Duration.ofMinutes(1);

    private final JWTParser verifier;
    private final Cache<String, JsonWebToken> verified = Caffeine.newBuilder().maximumSize(MOST)
            .expireAfter(
                    Expiry.<String, JsonWebToken> creating((text, token) -> howLongToRemember(token)))
            .build();

    @Inject
    PublisherTokens(@Delegate JWTParser verifier) {
        this.verifier = verifier;
    }

    @Override
    public JsonWebToken parse(String text) throws ParseException {
        JsonWebToken known = verified.getIfPresent(text);
        if (known != null) {
            return known;
        }
        JsonWebToken token = verifier.parse(text);
        if (!howLongToRemember(token).isZero()) {
            verified.put(text, token);
        }
        return token;
    }

    /** A minute, or less if the token expires sooner; zero once it has expired. */
    private static Duration howLongToRemember(JsonWebToken token) {
        Duration left = Duration.between(Instant.now(), Instant.ofEpochSecond(token.getExpirationTime()));
        return left.isNegative() ? Duration.ZERO : left.compareTo(REMEMBERED) < 0 ? left : REMEMBERED;
    }
}
