package org.coalitiontracker.membership.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * How long a publisher's token stays accepted after the verifier would refuse it: a minute at most, and never past its
 * exp. The clock is moved rather than waited for.
 */
class VerifiedTokensTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final VerifiedTokens tokens = new VerifiedTokens(clock, clock);

    @Test
    void aTokenWhoseKeyWasWithdrawnStopsWorkingWithinAMinute() throws ParseException {
        Issuer issuer = new Issuer(clock);
        String token = issuer.token(Duration.ofHours(1));
        assertThat(tokens.verify(token, issuer::verify).getSubject()).isEqualTo("membership-publisher");

        issuer.withdrawKey();
        clock.move(VerifiedTokens.REMEMBERED.minusSeconds(1));
        assertThat(tokens.verify(token, issuer::verify).getSubject()).isEqualTo("membership-publisher");

        clock.move(Duration.ofSeconds(2));
        assertThatThrownBy(() -> tokens.verify(token, issuer::verify)).isInstanceOf(ParseException.class)
                .hasMessage("the key was withdrawn");
    }

    @Test
    void theMinuteDoesNotStretchWhenTheWallClockIsSetBack() throws ParseException {
        Issuer issuer = new Issuer(clock);
        String token = issuer.token(Duration.ofHours(2));
        tokens.verify(token, issuer::verify);

        issuer.withdrawKey();
        clock.setBack(Duration.ofHours(1));
        clock.move(VerifiedTokens.REMEMBERED.plusSeconds(1));
        assertThatThrownBy(() -> tokens.verify(token, issuer::verify)).isInstanceOf(ParseException.class)
                .hasMessage("the key was withdrawn");
    }

    @Test
    void aTokenIsRefusedAsSoonAsItExpiresThoughItWasAcceptedBefore() throws ParseException {
        Issuer issuer = new Issuer(clock);
        String token = issuer.token(Duration.ofSeconds(20));
        tokens.verify(token, issuer::verify);

        clock.move(Duration.ofSeconds(19));
        assertThat(tokens.verify(token, issuer::verify).getSubject()).isEqualTo("membership-publisher");
        assertThat(issuer.verified).as("the second use came from the cache").isEqualTo(1);

        clock.move(Duration.ofSeconds(2));
        assertThatThrownBy(() -> tokens.verify(token, issuer::verify)).isInstanceOf(ParseException.class)
                .hasMessage("the token has expired");
    }

    /** Tokens of one subject, each text a new token; its verifier counts the verifications it made. */
    private static final class Issuer {
        private final Clock clock;
        private final Map<String, JsonWebToken> issued = new HashMap<>();
        private boolean withdrawn;
        int verified;

        Issuer(Clock clock) {
            this.clock = clock;
        }

        String token(Duration validFor) {
            JwtClaims claims = new JwtClaims();
            claims.setSubject("membership-publisher");
            claims.setExpirationTime(NumericDate.fromMilliseconds(clock.instant().plus(validFor).toEpochMilli()));
            String text = "token-" + issued.size();
            issued.put(text, new DefaultJWTCallerPrincipal(claims));
            return text;
        }

        void withdrawKey() {
            withdrawn = true;
        }

        JsonWebToken verify(String text) throws ParseException {
            if (withdrawn) {
                throw new ParseException("the key was withdrawn");
            }
            JsonWebToken token = issued.get(text);
            if (!clock.instant().isBefore(Instant.ofEpochSecond(token.getExpirationTime()))) {
                throw new ParseException("the token has expired");
            }
            verified++;
            return token;
        }
    }

    /**
     * The wall clock and the cache's monotonic ticker at once: time passing moves both, a correction of the wall clock
     * only the clock.
     */
    private static final class MovableClock extends Clock implements Ticker {
        private Instant now;
        private long ticks;

        MovableClock(Instant now) {
            this.now = now;
        }

        void move(Duration by) {
            now = now.plus(by);
            ticks += by.toNanos();
        }

        void setBack(Duration by) {
            now = now.minus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public long read() {
            return ticks;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
