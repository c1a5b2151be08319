package org.coalitiontracker.problems;

import java.net.URI;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A body larger than the server takes ({@code quarkus.http.limits.max-body-size}) answered as problem+json, like
 * every other error, where the HTTP server's own answer is an empty 413: a body that declares its length
 * (Content-Length) is refused before it is read. One sent in chunks, with no length, is still cut off by the server
 * with an empty 413 once it passes the limit.
 */
@Singleton
class BodyTooLarge {

    private static final int STATUS = 413;

    private final long limit;

    BodyTooLarge(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void route(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::refuseDeclaredTooLarge);
    }

    private void refuseDeclaredTooLarge(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > limit) {
            answer(context);
        } else {
            context.next();
        }
    }

    private void answer(RoutingContext context) {
        Problem problem = new Problem(URI.create("about:blank"), "Request entity too large", STATUS,
                "The body is larger than the " + limit + " bytes this service takes", null, null);
        context.response().setStatusCode(STATUS).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(Json.encode(problem));
    }
}
