package io.sluice.domain;

import io.sluice.domain.error.InvalidRequestException;

/**
 * What a value must be for the stores to keep it: text with no character PostgreSQL's text cannot hold (NUL, and
 * unpaired UTF-16 surrogates, which are not Unicode at all), and names no longer than their columns. Checked when a
 * request is read, before anything goes upstream, so that one caller's unstorable value never fails a write it shares
 * with others.
 */
public final class StoredText {
    /** The longest end user, message name, tool call id or model name a request may carry. */
    public static final int MAX_NAME_LENGTH = 256;

    private StoredText() {}

    /** The index of the first character that cannot be stored, or -1 when every one can. */
    public static int firstUnstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') return i;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) i++;
                else return i;
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Refuses text that cannot be stored, naming {@code param} (the request field it came in). */
    public static void requireStorable(String text, String param) {
        if (text == null) return;
        int at = firstUnstorable(text);
        if (at >= 0) {
            String what = text.charAt(at) == '\u0000' ? "a NUL character (\\u0000)" : "an unpaired UTF-16 surrogate";
            throw new InvalidRequestException("'" + param + "' contains " + what + " at index " + at + ", which cannot be stored", param,
                    "invalid_value");
        }
    }

    /** Refuses a name with a control character (C0, DEL or C1): a name is echoed in headers and logs, which cannot carry them. */
    public static void requireNoControlCharacters(String name, String param) {
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new InvalidRequestException("'" + param + "' contains a control character (U+" + String.format("%04X", (int) name.charAt(i))
                        + ") at index " + i, param, "invalid_value");
            }
        }
    }

    /** Refuses a name longer than {@link #MAX_NAME_LENGTH}, naming {@code param}. */
    public static void requireName(String name, String param) {
        if (name != null && name.length() > MAX_NAME_LENGTH) {
            throw new InvalidRequestException("'" + param + "' must be at most " + MAX_NAME_LENGTH + " characters, was " + name.length(), param,
                    "invalid_value");
        }
    }

    /** A client's name for something, safe for a message or a log line: at most {@code max} characters, no control characters. */
    public static String clip(String text, int max) {
        if (text == null) return "";
        String cut = text.length() <= max ? text : text.substring(0, max) + "...";
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
