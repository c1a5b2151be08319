package org.coalitiontracker.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;

import org.junit.jupiter.api.Test;

class ParameterConvertersTest {

    private final ParameterConverters converters = new ParameterConverters();

    @Test
    void readsWhatItCanAndNamesTheParameterOfWhatItCannot() {
        assertThat(converter(Integer.class, "size").fromString("20")).isEqualTo(20);
        assertRefused(converter(int.class, "size"), "abc", "size", "must be a whole number");
        assertRefused(converter(int.class, "page"), "1e3", "page", "must be a whole number");
        assertRefused(converter(boolean.class, "withdrawn"), "yes", "withdrawn", "must be true or false");
        assertThat(converter(Boolean.class, "withdrawn").fromString("true")).isEqualTo(true);
        assertThat(converter(LocalDate.class, "asOf").fromString("1900-01-01")).isEqualTo(LocalDate.of(1900, 1, 1));
        for (String date : new String[] { "-999999999-01-01", "1899-12-31", "+10000-01-01", "2025-02-30", "x" }) {
            assertRefused(converter(LocalDate.class, "asOf"), date, "asOf",
                    "must be a date from 1900-01-01 to 9999-12-31, written YYYY-MM-DD");
        }
        assertRefused(converter(UUID.class, "id"), "1-1-1-1-1", "id",
                "must be a UUID such as 3f2a5c1e-8d7b-4e6f-9a0b-1c2d3e4f5a6b");
        assertThat(converter(String.class, "q")).isNull();
    }

    private <T> ParamConverter<T> converter(Class<T> type, String name) {
        Annotation query = new QueryParam() {
            @Override
            public String value() {
                return name;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return QueryParam.class;
            }
        };
        return converters.getConverter(type, type, new Annotation[] { query });
    }

    private static void assertRefused(ParamConverter<?> converter, String value, String name, String message) {
        assertThatThrownBy(() -> converter.fromString(value)).as(value).isInstanceOfSatisfying(InvalidParameter.class,
                invalid -> {
                    assertThat(invalid.parameter()).isEqualTo(name);
                    assertThat(invalid.getMessage()).isEqualTo(message);
                });
    }
}
