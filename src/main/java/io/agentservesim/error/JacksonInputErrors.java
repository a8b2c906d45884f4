package io.agentservesim.error;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns a Jackson parse or binding failure into the project's one-line {@link InputException}, so
 * that a user who mistyped a key or a value sees "FILE:LINE: field: what was expected" instead of a
 * multi-line Jackson message full of class names.
 */
public final class JacksonInputErrors {
    private JacksonInputErrors() {
    }

    /** "FILE:LINE: path: what" (LINE omitted when Jackson does not know it). */
    public static InputException toInputException(Path file, JacksonException e) {
        String path = fieldPath(e.getPath());
        String what = describe(e);
        String message = path.isEmpty() ? what : path + ": " + what;
        TokenStreamLocation location = e.getLocation();
        InputException out = location != null && location.getLineNr() > 0
                ? InputException.at(file, location.getLineNr(), message)
                : InputException.at(file, message);
        out.initCause(e);
        return out;
    }

    /** Dotted field path such as {@code input.max} or {@code stages[2].name}. */
    public static String fieldPath(List<JacksonException.Reference> references) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : references) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown key '" + u.getPropertyName() + "' (expected one of: " + known(u.getKnownPropertyIds()) + ")";
        }
        if (e instanceof InvalidTypeIdException t) {
            return "unknown type '" + t.getTypeId() + "'";
        }
        String original = e.getOriginalMessage();
        if (original == null) {
            return e.getClass().getSimpleName();
        }
        // Jackson appends hints on extra lines; the first line carries the actual problem.
        int newline = original.indexOf('\n');
        return (newline < 0 ? original : original.substring(0, newline)).strip();
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "none";
        }
        return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }
}
