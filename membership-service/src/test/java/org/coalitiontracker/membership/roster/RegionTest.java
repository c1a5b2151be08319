package org.coalitiontracker.membership.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class RegionTest {

    @Test
    void everyAssignedCountryHasARegion() {
        assertThat(Arrays.stream(Locale.getISOCountries()).filter(country -> Region.of(country) == null))
                .as("ISO 3166-1 codes without an M49 region")
                .isEmpty();
    }

    @Test
    void theCoalitionsCountriesFallInTheirRegions() {
        assertThat(Region.of("GB")).isEqualTo(Region.EUROPE);
        assertThat(Region.of("US")).isEqualTo(Region.AMERICAS);
        assertThat(Region.of("BR")).isEqualTo(Region.AMERICAS);
        assertThat(Region.of("SA")).isEqualTo(Region.ASIA);
        assertThat(Region.of("ID")).isEqualTo(Region.ASIA);
        assertThat(Region.of("AU")).isEqualTo(Region.OCEANIA);
        assertThat(Region.of("ZA")).isEqualTo(Region.AFRICA);
        assertThat(Region.of("ZZ")).isNull();
    }
}
