package org.coalitiontracker.benchmarks;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.coalitiontracker.localinfra.SyntheticClusterEvents;

/**
 * A reproducible roster of any size, as join requests for {@code POST /clusters/import}: names with accents (so that
 * a search must fold them), every assigned country but few of them with most clusters (as real registries are), one to
 * three sectors, join dates from COP26 to the end of 2026, figures within the API's bounds. The same seed gives the
 * same roster.
 */
final class SyntheticRoster {

    /** Places in the names; a search for one of them, folded, finds about one cluster in {@code PLACES.size()}. */
    static final List<String> PLACES = List.of("Cádiz", "Göteborg", "São Paulo", "Łódź", "Zürich", "Rotterdam",
            "Humber", "Kitakyūshū", "Pilbara", "Jubail", "Map Ta Phut", "Barranquilla", "Gujarāt", "Antwerpen",
            "Açu", "Tees Valley", "Québec", "Ruhr", "Malmö", "Dunkerque");
    private static final List<String> KINDS = List.of("Hub", "Cluster", "Valley", "Port", "Basin", "Park");
    /** Every assigned country, the first of them with the most clusters. */
    static final String[] COUNTRIES = Locale.getISOCountries();
    static final LocalDate FIRST_DAY = LocalDate.of(2021, 11, 2);
    static final LocalDate LAST_DAY = LocalDate.of(2026, 11, 30);

    private final Random random;
    private int made;

    SyntheticRoster(long seed) {
        this.random = new Random(seed);
    }

    /** The next {@code count} clusters, each named with its number in the roster, so no two are the same cluster. */
    List<Map<String, Object>> next(int count) {
        List<Map<String, Object>> clusters = new ArrayList<>(count);
        long days = LAST_DAY.toEpochDay() - FIRST_DAY.toEpochDay();
        for (int i = 0; i < count; i++) {
            made++;
            List<String> sectors = new ArrayList<>();
            for (int s = 1 + random.nextInt(3); s > 0; s--) {
                String sector = SyntheticClusterEvents.SECTORS
                        .get(random.nextInt(SyntheticClusterEvents.SECTORS.size()));
                if (!sectors.contains(sector)) {
                    sectors.add(sector);
                }
            }
            clusters.add(Map.of("name", PLACES.get(random.nextInt(PLACES.size())) + " " + KINDS.get(random.nextInt(
                    KINDS.size())) + " " + made,
                    // Squaring skews the draw: the first countries of the list get most clusters.
                    "country", COUNTRIES[(int) (COUNTRIES.length * Math.pow(random.nextDouble(), 2))],
                    "joinedOn", FIRST_DAY.plusDays(random.nextLong(days + 1)).toString(),
                    "sectors", sectors,
                    "emissionsReductionMtPerYear", BigDecimal.valueOf(1 + random.nextInt(5_000), 3),
                    "jobs", 10 + random.nextInt(20_000),
                    "gdpUsdBn", BigDecimal.valueOf(1 + random.nextInt(2_000), 3)));
        }
        return clusters;
    }

    /** How many clusters it has made so far. */
    int made() {
        return made;
    }
}
