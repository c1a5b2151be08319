package org.coalitiontracker.membership.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The tokens that passed verification, for a minute at most. Only a token that passed is kept, under its whole text,
 * and never past its exp: once that has passed, it is verified again, so this accepts nothing the verifier would
 * refuse. Nor longer than {@link #REMEMBERED}: with a JWKS URL, a key the issuer withdraws stops working at the
 * verifier's next refresh of the key set, and a token it signed a minute after that. Bounded, so that a flood of valid
 * tokens costs at most {@value #MOST} entries (a few KiB each).
 */
final class VerifiedTokens {

    /** What checks a token's signature and claims: the parser the cache stands in front of. */
    @FunctionalInterface
    interface Verifier {
        JsonWebToken verify(String text) throws ParseException;
    }

    static final Duration REMEMBERED = Duration.ofMinutes(1);
    private static final int MOST = 1_000;

    private final Clock clock;
    private final Cache<String, JsonWebToken> verified;

    /**
     * The clock tells the tokens' exp, which is wall-clock time; the ticker measures the cache's minute, which must not
     * stretch when the wall clock is set back (in production {@link Ticker#systemTicker()}, monotonic). A test gives
     * both from one clock it moves.
     */
    VerifiedTokens(Clock clock, Ticker ticker) {
        this.clock = clock;
        this.verified = Caffeine.newBuilder().maximumSize(MOST).ticker(ticker)
                .expireAfter(Expiry.<String, JsonWebToken> creating((text, token) -> howLongToRemember(token)))
                .build();
    }

    /** The token the text is, from the cache or else from the verifier (which throws if it refuses it). */
    JsonWebToken verify(String text, Verifier verifier) throws ParseException {
        JsonWebToken known = verified.getIfPresent(text);
        if (known != null) {
            return known;
        }
        JsonWebToken token = verifier.verify(text);
        if (!howLongToRemember(token).isZero()) {
            verified.put(text, token);
        }
        return token;
    }

    /** A minute, or less if the token expires sooner; zero once it has expired. */
    private Duration howLongToRemember(JsonWebToken token) {
        Duration left = Duration.between(clock.instant(), Instant.ofEpochSecond(token.getExpirationTime()));
        return left.isNegative() ? Duration.ZERO : left.compareTo(REMEMBERED) < 0 ? left : REMEMBERED;
    }
}
