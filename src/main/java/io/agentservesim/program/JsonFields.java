package io.agentservesim.program;

import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Strict readers for the values of one trace line, each failing with the line's "FILE:LINE: field:
 * what was expected" message. Token-id arrays are read straight into an int[] without boxing.
 */
public final class JsonFields {
    private JsonFields() {
    }

    public static long nonNegativeLong(JsonParser p, JsonToken value, String field, TraceLines lines) {
        if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw lines.fail(field + ": expected a non-negative integer, got " + describe(p, value));
        }
        long v = p.getLongValue();
        if (v < 0) {
            throw lines.fail(field + ": expected a non-negative integer, got " + v);
        }
        return v;
    }

    public static int tokenCount(JsonParser p, JsonToken value, String field, TraceLines lines) {
        long v = nonNegativeLong(p, value, field, lines);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw lines.fail(field + ": expected an integer >= 1, got " + v);
        }
        return (int) v;
    }

    public static String string(JsonParser p, JsonToken value, String field, TraceLines lines) {
        if (value != JsonToken.VALUE_STRING) {
            throw lines.fail(field + ": expected a string, got " + describe(p, value));
        }
        return p.getString();
    }

    /** A string, or an integer written as its decimal text (node ids may be either). */
    public static String id(JsonParser p, JsonToken value, String field, TraceLines lines) {
        if (value == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return p.getString();
        }
        throw lines.fail(field + ": expected a string or integer id, got " + describe(p, value));
    }

    public static int[] tokenIds(JsonParser p, JsonToken value, String field, TraceLines lines) {
        if (value != JsonToken.START_ARRAY) {
            throw lines.fail(field + ": expected an array of token ids, got " + describe(p, value));
        }
        int[] ids = new int[256];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                    || p.getIntValue() < 0) {
                throw lines.fail(field + "[" + n + "]: expected a non-negative 32-bit integer token id, got "
                        + describe(p, t));
            }
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
            }
            ids[n++] = p.getIntValue();
        }
        return n == ids.length ? ids : Arrays.copyOf(ids, n);
    }

    public static void expect(JsonToken actual, JsonToken expected, String field, String what, JsonParser p, TraceLines lines) {
        if (actual != expected) {
            throw lines.fail(field + ": expected " + what + ", got " + describe(p, actual));
        }
    }

    public static String describe(JsonParser p, JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "the string \"" + p.getString() + "\"";
            case VALUE_NULL -> "null";
            default -> p.getString();
        };
    }

    public static String firstLine(String message) {
        if (message == null) {
            return "unparseable";
        }
        int newline = message.indexOf('\n');
        String first = (newline < 0 ? message : message.substring(0, newline)).strip();
        // Jackson appends where an unclosed array or object began as "(start marker at [Source: REDACTED ...])":
        // its own configuration's words, not the user's; the line number is already in the message.
        int marker = first.indexOf(" (start marker at [Source:");
        return marker < 0 ? first : first.substring(0, marker);
    }
}
