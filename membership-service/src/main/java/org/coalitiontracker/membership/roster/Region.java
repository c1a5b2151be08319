package org.coalitiontracker.membership.roster;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The UN M49 region of a country, derived from its ISO 3166-1 alpha-2 code (callers never type it). Antarctica,
 * which M49 leaves out of its regions, is its own.
 */
public enum Region {
    AFRICA("""
            DZ EG LY MA SD TN EH IO BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW TF AO CM CF TD CG CD
            GQ GA ST BW SZ LS NA ZA BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"""),
    AMERICAS("""
            AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI BZ CR SV GT HN MX NI
            PA AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE BM CA GL PM US"""),
    ASIA("""
            KZ KG TJ TM UZ CN HK MO KP JP MN KR TW BN KH ID LA MY MM PH SG TH TL VN AF BD BT IN IR MV NP PK LK AM AZ
            BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"""),
    EUROPE("""
            BY BG CZ HU PL MD RO RU SK UA AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB AL AD BA HR GI GR VA IT MT
            ME MK PT SM RS SI ES AT BE FR DE LI LU MC NL CH"""),
    OCEANIA("""
            AU CX CC HM NZ NF FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF"""),
    ANTARCTICA("AQ");

    private static final Map<String, Region> BY_COUNTRY = new HashMap<>();

    static {
        for (Region region : values()) {
            Arrays.stream(region.countries.strip().split("\\s+")).forEach(country -> BY_COUNTRY.put(country, region));
        }
    }

    private final String countries;

    Region(String countries) {
        this.countries = countries;
    }

    /** The region of an ISO 3166-1 alpha-2 code; null for a code that is not assigned. */
    public static Region of(String country) {
        return BY_COUNTRY.get(country);
    }
}
