package io.agentservesim.error;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern KNOWN_TYPE_IDS = Pattern.compile("known type ids = \\[([^\\]]*)\\]");

    private JacksonInputErrors() {
    }

    /** "FILE:LINE: path: what" (LINE omitted when Jackson does not know it). */
    public static InputException toInputException(Path file, JacksonException e) {
        String path = fieldPath(e.getPath());
        String what = describe(e);
        // "(start marker at [Source: REDACTED ...])" names Jackson's settings, not the user's file.
        int marker = what.indexOf(" (start marker at [Source:");
        if (marker >= 0) {
            what = what.substring(0, marker);
        }
        String message = path.isEmpty() ? what : path + ": " + what;
        TokenStreamLocation location = e.getLocation();
        InputException out = location != null && location.getLineNr() > 0
                ? InputException.at(file, location.getLineNr(), message)
                : InputException.at(file, message);
        out.initCause(e);
        return out;
    }

    /**
     * The message without the file: "path: what", or "line N: what" when there is no field path (a
     * syntax error), for callers that put it after their own "FILE: " or "FILE: section.".
     */
    public static String message(JacksonException e) {
        String path = fieldPath(e.getPath());
        String what = describe(e);
        if (!path.isEmpty()) {
            return path + ": " + what;
        }
        TokenStreamLocation location = e.getLocation();
        return location != null && location.getLineNr() > 0 ? "line " + location.getLineNr() + ": " + what : what;
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
            Matcher known = KNOWN_TYPE_IDS.matcher(String.valueOf(t.getOriginalMessage()));
            return "unknown type '" + t.getTypeId() + "'"
                    + (known.find() ? " (expected one of: " + known.group(1) + ")" : "");
        }
        String original = e.getOriginalMessage();
        if (original == null) {
            return e.getClass().getSimpleName();
        }
        if (original.startsWith("Missing required creator property")) {
            return "required key is missing";
        }
        // YAML parser messages span lines (the problem, its context, a caret picture): keep the prose
        // on one line. Jackson's binding messages add hints on extra lines and "(but ...)" asides.
        if (e instanceof tools.jackson.core.exc.StreamReadException) {
            StringBuilder oneLine = new StringBuilder();
            for (String part : original.split("\\R")) {
                String t = part.strip();
                if (t.isEmpty() || t.startsWith("^") || t.startsWith("in reader") || t.startsWith("at [")) {
                    continue;
                }
                if (!oneLine.isEmpty()) {
                    oneLine.append("; ");
                }
                oneLine.append(t);
            }
            return oneLine.toString();
        }
        int newline = original.indexOf('\n');
        String first = newline < 0 ? original : original.substring(0, newline);
        int aside = first.indexOf(" (but ");
        return yamlWords((aside < 0 ? first : first.substring(0, aside)).replaceAll(" \\(class [^)]*\\)", "").strip());
    }

    private static final Pattern COERCE = Pattern.compile("Cannot coerce (.+?) value \\((.*)\\) to `([^`]+)` value.*");
    private static final Pattern DESERIALIZE = Pattern.compile("Cannot deserialize value of type `([^`]+)` from (.+?)(?: value)?(?: \\(token `[^`]*`\\))?(?:: .*)?");
    private static final Pattern CONSTRUCT = Pattern.compile("Cannot construct instance of `([^`]+)`.*? from (?:.+?) value \\((.*)\\).*");
    private static final Pattern JAVA_TYPE = Pattern.compile("`([^`]+)`");

    /**
     * Jackson's binding messages in the words of a YAML file: "expected an integer, got 4.5" rather than
     * "Cannot coerce Floating-point value (4.5) to `java.lang.Integer` value"; no Java class is named.
     */
    static String yamlWords(String message) {
        Matcher coerce = COERCE.matcher(message);
        if (coerce.matches()) {
            return "expected " + typeWord(coerce.group(3)) + ", got " + coerce.group(2);
        }
        Matcher deserialize = DESERIALIZE.matcher(message);
        if (deserialize.matches()) {
            return "expected " + typeWord(deserialize.group(1)) + ", got " + shapeWord(deserialize.group(2));
        }
        Matcher construct = CONSTRUCT.matcher(message);
        if (construct.matches()) {
            return "expected " + typeWord(construct.group(1)) + ", got " + construct.group(2);
        }
        Matcher m = JAVA_TYPE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            boolean javaName = name.contains(".") || name.contains("$") || name.endsWith("Node")
                    || Character.isUpperCase(name.charAt(0)) || name.equals("int") || name.equals("long")
                    || name.equals("double") || name.equals("boolean");
            m.appendReplacement(out, Matcher.quoteReplacement(javaName ? typeWord(name) : "`" + name + "`"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The YAML kind of value a Java type is bound from. */
    static String typeWord(String javaType) {
        String t = javaType.substring(javaType.lastIndexOf('.') + 1);
        return switch (t) {
            case "int", "Integer", "long", "Long", "short", "Short", "byte", "Byte", "BigInteger" -> "an integer";
            case "double", "Double", "float", "Float", "BigDecimal", "Number" -> "a number";
            case "boolean", "Boolean", "BooleanNode" -> "true or false";
            case "String", "char", "Character", "TextNode", "StringNode" -> "a string";
            case "ArrayNode" -> "a list";
            default -> t.endsWith("[]") || t.startsWith("List") || t.startsWith("Set") || t.startsWith("Collection")
                    || javaType.startsWith("java.util.List") ? "a list" : "a mapping";
        };
    }

    private static String shapeWord(String jacksonShape) {
        String s = jacksonShape.strip();
        if (s.startsWith("Array")) {
            return "a list";
        }
        if (s.startsWith("Object")) {
            return "a mapping";
        }
        if (s.startsWith("String")) {
            return "a string" + s.substring("String".length());
        }
        if (s.startsWith("Floating-point")) {
            return "a number";
        }
        if (s.startsWith("Integer")) {
            return "an integer";
        }
        if (s.startsWith("Boolean")) {
            return "true or false";
        }
        return s;
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "none";
        }
        return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }
}
