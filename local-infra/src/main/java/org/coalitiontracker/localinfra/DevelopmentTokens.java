package org.coalitiontracker.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A throwaway RSA key pair and the RS256 bearer tokens it signs, for tests and the local run: never for a real
 * deployment, whose keys come from its own issuer.
 */
public final class DevelopmentTokens {

    public static final String ISSUER = "https://coalition-tracker.org/development";
    /** The audience membership-service checks by default (MEMBERSHIP_JWT_AUDIENCE). */
    public static final String AUDIENCE = "https://coalition-tracker.org/membership";

    private final KeyPair keys;
    private final String issuer;

    private DevelopmentTokens(KeyPair keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    public static DevelopmentTokens newKeyPair() {
        return newKeyPair(ISSUER);
    }

    /** A key pair whose tokens name another issuer, such as the one a deployment's configuration expects. */
    public static DevelopmentTokens newKeyPair(String issuer) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new DevelopmentTokens(generator.generateKeyPair(), issuer);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as PEM, as {@code mp.jwt.verify.publickey} takes it. */
    public String publicKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    /** Writes the public key to a file, for {@code mp.jwt.verify.publickey.location}. */
    public Path writePublicKey(Path file) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, publicKeyPem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token for {@code subject} with these groups (roles), valid for an hour. */
    public String token(String subject, String... groups) {
        return sign(keys.getPrivate(), issuer, AUDIENCE, subject, Instant.now(), Duration.ofHours(1), List.of(groups));
    }

    /** A token like {@link #token} but meant for another audience (another system). */
    public String tokenFor(String audience, String subject, String... groups) {
        return sign(keys.getPrivate(), issuer, audience, subject, Instant.now(), Duration.ofHours(1), List.of(groups));
    }

    /** A token like {@link #token} but valid for as long as given. */
    public String tokenValidFor(Duration lifetime, String subject, String... groups) {
        return sign(keys.getPrivate(), issuer, AUDIENCE, subject, Instant.now(), lifetime, List.of(groups));
    }

    /** A token that expired a minute ago. */
    public String expiredToken(String subject, String... groups) {
        return sign(keys.getPrivate(), issuer, AUDIENCE, subject, Instant.now().minus(Duration.ofHours(2)),
                Duration.ofHours(1).minusMinutes(1), List.of(groups));
    }

    /** A well-formed token signed by some other key. */
    public static String tokenSignedByAnotherKey(String subject, String... groups) {
        return sign(newKeyPair().keys.getPrivate(), ISSUER, AUDIENCE, subject, Instant.now(), Duration.ofHours(1),
                List.of(groups));
    }

    private static String sign(PrivateKey key, String issuer, String audience, String subject, Instant issuedAt,
            Duration lifetime,
            List<String> groups) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + issuer + "\",\"aud\":\"" + audience + "\",\"sub\":\"" + subject
                + "\",\"upn\":\"" + subject + "\""
                + ",\"jti\":\"" + UUID.randomUUID() + "\",\"iat\":" + issuedAt.getEpochSecond()
                + ",\"exp\":" + issuedAt.plus(lifetime).getEpochSecond()
                + ",\"groups\":[" + groups.stream().map(group -> "\"" + group + "\"").collect(Collectors.joining(","))
                + "]}";
        String signingInput = base64Url(header) + "." + base64Url(claims);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
