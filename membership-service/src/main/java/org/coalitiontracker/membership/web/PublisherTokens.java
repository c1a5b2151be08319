package org.coalitiontracker.membership.web;

import java.time.Clock;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Remembers the publishers' tokens that passed verification ({@link VerifiedTokens}). A publisher sends the same token
 * with every join for as long as it is valid, and verifying it again (its signature, its claims parsed anew) was about
 * a seventh of a join's CPU (JFR, benchmarks/join-throughput.sh).
 */
@Decorator
@Priority(1)
abstract class PublisherTokens implements JWTParser {

    private final JWTParser verifier;
    private final VerifiedTokens verified = new VerifiedTokens(Clock.systemUTC(), Ticker.systemTicker());

    @Inject
    PublisherTokens(@Delegate JWTParser verifier) {
        this.verifier = verifier;
    }

    @Override
    public JsonWebToken parse(String text) throws ParseException {
        return verified.verify(text, verifier::parse);
    }
}
