package org.coalitiontracker.reporting.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The operators' dashboard page. Browsers revalidate it on every load (ETag, {@code no-cache}), so that an upgrade
 * shows at once; it names its script, style sheet and map with a hash of their content, so that those can be cached for
 * long and are fetched again exactly when they change. Its Content-Security-Policy lets it load nothing but this
 * service's own files, and no other site frame it.
 */
@Path("/")
public class DashboardPage {

    static final String SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final String PAGE = withHashedAssets(read("dashboard/index.html"));
    private static final String VERSION = hash(PAGE);

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@Context Request request) {
        return Response.fromResponse(Revalidation.revalidated(request, VERSION, () -> PAGE))
                .header("Content-Security-Policy", SECURITY_POLICY)
                .header("X-Frame-Options", "DENY")
                .build();
    }

    @GET
    @Path("index.html")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response index(@Context Request request) {
        return page(request);
    }

    /** The page, with each file it loads named {@code <file>?v=<hash>}. */
    private static String withHashedAssets(String page) {
        String hashed = page;
        for (String asset : new String[] { "dashboard.js", "dashboard.css", "world-map.json" }) {
            hashed = hashed.replace("\"" + asset + "\"",
                    "\"" + asset + "?v=" + hash(read("META-INF/resources/" + asset)) + "\"");
        }
        return hashed;
    }

    private static String read(String resource) {
        try (InputStream in = DashboardPage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the service's build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
