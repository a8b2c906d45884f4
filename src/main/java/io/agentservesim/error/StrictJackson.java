package io.agentservesim.error;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one strictness every input loader shares (config YAML, synthetic workload, programs, tools, model
 * config.json, profile meta files, the GPU catalog): duplicate keys, unknown keys, nulls for primitives and
 * trailing content are errors, and a value of the wrong shape is never coerced: {@code 4.5} or
 * {@code "8"} where an integer belongs, {@code "0.9"} where a number belongs and {@code 1} or {@code "yes"}
 * where a boolean belongs are all refused, so a typo cannot silently become a different setting.
 */
public final class StrictJackson {
    private StrictJackson() {
    }

    /** The shared YAML mapper configuration. */
    public static YAMLMapper yaml() {
        return configure(YAMLMapper.builder()).build();
    }

    /** The shared JSON mapper configuration (model config.json and other JSON inputs). */
    public static JsonMapper json() {
        return configure(JsonMapper.builder()).build();
    }

    /** Applies the shared settings to any Jackson mapper builder. */
    public static <B extends MapperBuilder<?, B>> B configure(B builder) {
        return builder
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Integer, c -> c
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail));
    }
}
