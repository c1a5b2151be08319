package org.coalitiontracker.membership.roster;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import org.coalitiontracker.contracts.Bounds;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A member of the coalition: one industrial cluster, as it joined. The table is owned by Flyway (V1__roster.sql). */
@Entity
public class Cluster extends PanacheEntityBase {

    @Id
    public UUID id;
    public String name;
    /** The name folded for comparison: two clusters with the same key and country are the same cluster. */
    public String nameKey;
    /** ISO 3166-1 alpha-2. */
    public String country;
    public LocalDate joinedOn;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] sectors;
    /** Null when the sources do not say. */
    public Boolean portAnchored;
    public BigDecimal emissionsReductionMtPerYear;
    public long jobs;
    public BigDecimal gdpUsdBn;
    /** Where the figures come from, e.g. "apportioned"; null when not stated. */
    public String figuresBasis;
    /** The day the cluster left the coalition; null while it is a member. */
    public LocalDate withdrawnOn;
    public String withdrawalReason;
    /** Starts at 1, grows by one with every change, and travels with every event about this cluster. */
    public int version;
    public Instant recordedAt;

    /**
     * Case- and accent-insensitive: "Porto do Açu" and "PORTO DO ACU" fold to the same key, and so do "Łódź" and
     * "Lodz", "Straße" and "Strasse". Invisible format characters (a zero-width space, a soft hyphen) are dropped and
     * any run of spaces is one, so that they cannot make a second member of the same cluster.
     */
    static String nameKey(String name) {
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD);
        return spellOutLetters(WHITE_SPACE.matcher(INVISIBLE.matcher(decomposed).replaceAll("")).replaceAll(" ")
                .strip().toLowerCase(Locale.ROOT));
    }

    /**
     * Folds the lower-case letters that Unicode does not decompose into a base and a mark (ł, ø, ß, æ, …) as
     * PostgreSQL's unaccent rules do, and as reporting-service's directory search does (its V24): the stored keys of
     * earlier members were refolded by V8.
     */
    private static String spellOutLetters(String folded) {
        StringBuilder key = null;
        for (int i = 0; i < folded.length(); i++) {
            char letter = folded.charAt(i);
            String spelled = letter < 'ß' ? null : switch (letter) {
                case 'ł', 'ƚ' -> "l";
                case 'ø' -> "o";
                case 'đ', 'ð' -> "d";
                case 'ħ' -> "h";
                case 'ı', 'ɨ' -> "i";
                case 'ŧ' -> "t";
                case 'ƀ' -> "b";
                case 'ʉ' -> "u";
                case 'ß' -> "ss";
                case 'æ' -> "ae";
                case 'œ' -> "oe";
                case 'þ' -> "th";
                default -> null;
            };
            if (spelled != null && key == null) {
                key = new StringBuilder(folded.length() + 8).append(folded, 0, i);
            }
            if (spelled != null) {
                key.append(spelled);
            } else if (key != null) {
                key.append(letter);
            }
        }
        return key == null ? folded : key.toString();
    }

    private static final Pattern INVISIBLE = Pattern.compile("[\\p{M}\\p{Cf}]+");
    private static final Pattern WHITE_SPACE = Pattern.compile("[\\p{Z}\\s]+");

    /** A figure as the roster stores it and the events carry it: exact thousandths. */
    static BigDecimal stored(BigDecimal figure) {
        return figure.setScale(Bounds.FIGURE_DECIMALS);
    }
}
