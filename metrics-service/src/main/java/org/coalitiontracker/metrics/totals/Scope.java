package org.coalitiontracker.metrics.totals;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The kinds of scope the totals are kept for; a scope is named {@code <kind>:<value>}, or {@code coalition}. */
enum Scope {
    COUNTRY("country = $1"),
    REGION("region = $1"),
    SECTOR("$1 = ANY (sectors)"),
    COHORT("extract(year FROM joined_on) = $1::int");

    static final String COALITION = "coalition";

    private final String members;
    private final String prefix;
    /**
     * Each scope's name, made once: every event of a batch names its scopes twice, and a String made once keeps its
     * hash code for every map lookup after. The values are a small vocabulary (countries, regions, sectors, years).
     */
    private final Map<String, String> names = new ConcurrentHashMap<>();

    Scope(String members) {
        this.members = members;
        this.prefix = name().toLowerCase(Locale.ROOT) + ":";
    }

    String of(String value) {
        // A lookup first: computeIfAbsent would make a method reference on every call, a hot path's garbage.
        String name = names.get(value);
        return name != null ? name : names.computeIfAbsent(value, prefix::concat);
    }

    /** Whether a name is one the totals use: {@code coalition}, or a kind, a colon and a value of A-Z, 0-9 and _. */
    static boolean isName(String scope) {
        if (scope.equals(COALITION)) {
            return true;
        }
        int colon = scope.indexOf(':');
        if (colon < 0 || colon == scope.length() - 1 || scope.length() - colon - 1 > 32) {
            return false;
        }
        String kind = scope.substring(0, colon);
        if (Arrays.stream(values()).noneMatch(known -> known.prefix.equals(kind + ":"))) {
            return false;
        }
        return scope.substring(colon + 1).chars()
                .allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_');
    }

    /** The SQL condition that selects a scope's clusters from cluster_contribution, with {@link #value} as $1. */
    static String members(String scope) {
        return scope.equals(COALITION) ? "$1::text IS NOT NULL" : kind(scope).members;
    }

    static String value(String scope) {
        return scope.equals(COALITION) ? COALITION : scope.substring(scope.indexOf(':') + 1);
    }

    private static Scope kind(String scope) {
        return valueOf(scope.substring(0, scope.indexOf(':')).toUpperCase());
    }
}
