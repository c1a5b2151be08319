package org.coalitiontracker.reporting.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

/**
 * Responses tagged with the version of what they show, so that a dashboard polling with If-None-Match gets 304 Not
 * Modified (and no body is built) until it changes.
 */
public final class Revalidation {

    /** How the OpenAPI document describes the answer to If-None-Match with the current ETag. */
    public static final String NOT_MODIFIED = "Not modified: the If-None-Match ETag is still the current one; no body.";

    /** Clients may keep a copy but must ask (cheaply, with If-None-Match) before using it. */
    private static final CacheControl REVALIDATE = CacheControl.valueOf("no-cache");

    private Revalidation() {
    }

    /** A tag for an answer that has no version of its own: a digest of what it says. */
    public static String digest(String answer) {
        return digest(answer.getBytes(StandardCharsets.UTF_8));
    }

    /** A tag for an answer written once (its JSON) that has no version of its own. */
    public static String digest(byte[] answer) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(answer), 0, 16);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }

    public static Response revalidated(Request request, String version, Supplier<Object> body) {
        EntityTag tag = new EntityTag(version);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        return (notModified != null ? notModified : Response.ok(body.get())).tag(tag).cacheControl(REVALIDATE)
                .build();
    }
}
