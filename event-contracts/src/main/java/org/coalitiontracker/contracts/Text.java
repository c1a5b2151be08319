package org.coalitiontracker.contracts;

/**
 * What a name or a free text must be to be stored and shown as it was written: valid Unicode (no unpaired surrogate,
 * which UTF-8 cannot carry), no control characters (PostgreSQL refuses NUL; the others break lines and logs), at
 * least one visible character (a letter, digit, punctuation mark or symbol: not only spaces or invisible format
 * characters), and at most a number of characters, counted as the databases count them (code points).
 */
public final class Text {

    private Text() {
    }

    /** Why {@code value} is not acceptable as {@code field}, or null if it is. */
    public static String problem(String field, String value, int maxLength) {
        String problem = problem(value, maxLength);
        return problem == null ? null : field + " " + problem;
    }

    /** What is wrong with the text ("must ..."), or null if nothing is. */
    public static String problem(String value, int maxLength) {
        int length = 0;
        boolean visible = false;
        for (int i = 0; i < value.length(); length++) {
            int codePoint = value.codePointAt(i);
            if (Character.getType(codePoint) == Character.SURROGATE) {
                return "must be valid Unicode text (it has an unpaired surrogate)";
            }
            if (Character.getType(codePoint) == Character.CONTROL) {
                return "must not contain control characters (such as NUL, tab or line breaks)";
            }
            visible |= isVisible(codePoint);
            i += Character.charCount(codePoint);
        }
        if (!visible) {
            return "must have a visible character (a letter, digit, punctuation mark or symbol)";
        }
        if (length > maxLength) {
            return "must be at most " + maxLength + " characters";
        }
        return null;
    }

    private static boolean isVisible(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL ->
                true;
            default -> false;
        };
    }
}
