package org.coalitiontracker.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A service's application.properties as the prod profile sees it (the profile its container image runs), and what
 * follows from it: the environment variables it reads, its Kafka channels, its HTTP port.
 */
final class ServiceConfig {

    /** {@code ${NAME}} or {@code ${NAME:default}} where NAME is an environment variable (upper case). */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    /** One without another inside its default: {@code ${A:${B:x}}} resolves from the inside out. */
    private static final Pattern INNERMOST_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^${}]*))?}");
    /** A per-instance value, such as the live stream's group id {@code reporting-live-${quarkus.uuid}}. */
    static final String PER_INSTANCE = "${quarkus.uuid}";
    private static final Pattern REST_CLIENT_URL = Pattern.compile("quarkus\\.rest-client\\.[^.]+\\.url");
    private static final Pattern CHANNEL = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.connector");

    record Channel(String name, boolean incoming, String topic, String groupId) {
    }

    final String service;
    final String text;
    final String pom;
    private final Map<String, String> prod;

    private ServiceConfig(String service, String text, String pom, Map<String, String> prod) {
        this.service = service;
        this.text = text;
        this.pom = pom;
        this.prod = prod;
    }

    static ServiceConfig of(String service) {
        Path module = Overlay.ROOT.resolve(service);
        Path file = module.resolve("src/main/resources/application.properties");
        try (Reader reader = Files.newBufferedReader(file)) {
            Properties all = new Properties();
            all.load(reader);
            Map<String, String> prod = new LinkedHashMap<>();
            // Unprofiled keys first, so that a %prod key of the same name overrides them.
            all.stringPropertyNames().stream().filter(key -> !key.startsWith("%"))
                    .forEach(key -> prod.put(key, all.getProperty(key)));
            all.stringPropertyNames().stream().filter(key -> key.startsWith("%")).forEach(key -> {
                String profiles = key.substring(1, key.indexOf('.'));
                if (Arrays.asList(profiles.split(",")).contains("prod")) {
                    prod.put(key.substring(key.indexOf('.') + 1), all.getProperty(key));
                }
            });
            return new ServiceConfig(service, Files.readString(file), Files.readString(module.resolve("pom.xml")),
                    prod);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment variables the prod profile reads. */
    Set<String> variables() {
        Set<String> names = new TreeSet<>();
        prod.values().forEach(value -> {
            Matcher matcher = VARIABLE.matcher(value);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        });
        return names;
    }

    /** Whether application.properties names the variable at all, if only in a comment that documents it. */
    boolean mentions(String variable) {
        return Pattern.compile("\\b" + Pattern.quote(variable) + "\\b").matcher(text).find();
    }

    /**
     * The path of a Quarkus management endpoint: under the non-application root ({@code /q} unless configured
     * otherwise), at the configured or default relative path, e.g. health's {@code /q/health}.
     */
    String endpoint(String rootPathProperty, String defaultPath) {
        String root = prod.getOrDefault("quarkus.http.non-application-root-path", "q").replaceAll("^/|/$", "");
        return "/" + root + "/" + prod.getOrDefault(rootPathProperty, defaultPath).replaceAll("^/", "");
    }

    boolean hasExtension(String artifactId) {
        return pom.contains("<artifactId>" + artifactId + "</artifactId>");
    }

    /** A property's value with the environment's variables substituted, or their defaults. */
    String resolve(String key, Map<String, String> environment) {
        String value = prod.get(key);
        if (value == null) {
            throw new AssertionError(service + " has no property " + key);
        }
        for (Matcher matcher = INNERMOST_VARIABLE.matcher(value); matcher.find(); matcher = INNERMOST_VARIABLE
                .matcher(value)) {
            String replacement = environment.getOrDefault(matcher.group(1), matcher.group(2));
            if (replacement == null) {
                throw new AssertionError(service + ": " + key + " needs " + matcher.group(1) + ", which is not set");
            }
            value = value.substring(0, matcher.start()) + replacement + value.substring(matcher.end());
        }
        return value;
    }

    /** As {@link #resolve}, or the fallback (Quarkus' default) where application.properties does not set it. */
    String resolveOrDefault(String key, Map<String, String> environment, String fallback) {
        return prod.containsKey(key) ? resolve(key, environment) : fallback;
    }

    /** Where the service's REST clients call, such as metrics-service's call to membership-service. */
    List<String> restClientUrls(Map<String, String> environment) {
        return prod.keySet().stream().filter(key -> REST_CLIENT_URL.matcher(key).matches())
                .map(key -> resolve(key, environment)).toList();
    }

    /**
     * The Kafka channels, and for an incoming channel that dead-letters what it cannot take (failure strategy
     * {@code dead-letter-queue}), the outgoing channel that writes its dead-letter topic.
     */
    List<Channel> kafkaChannels(Map<String, String> environment) {
        return prod.keySet().stream().map(CHANNEL::matcher).filter(Matcher::matches)
                .filter(matcher -> "smallrye-kafka".equals(prod.get(matcher.group())))
                .flatMap(matcher -> {
                    String prefix = "mp.messaging." + matcher.group(1) + "." + matcher.group(2) + ".";
                    String topic = prod.containsKey(prefix + "topic") ? resolve(prefix + "topic", environment)
                            : matcher.group(2);
                    String group = prod.containsKey(prefix + "group.id") ? resolve(prefix + "group.id", environment)
                            : null;
                    Channel channel = new Channel(matcher.group(2), matcher.group(1).equals("incoming"), topic, group);
                    if (!"dead-letter-queue".equals(prod.get(prefix + "failure-strategy"))) {
                        return Stream.of(channel);
                    }
                    String deadLetters = prod.containsKey(prefix + "dead-letter-queue.topic")
                            ? resolve(prefix + "dead-letter-queue.topic", environment)
                            : "dead-letter-topic-" + matcher.group(2);
                    return Stream.of(channel, new Channel(matcher.group(2) + " (dead letters)", false, deadLetters,
                            null));
                }).toList();
    }
}
