package dev.jgen.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Properties;

/**
 * Reads checkpoints of jgen's first format, whose {@code model.properties} held every setting as text
 * (lists comma-separated): each of a record's components is read from the key of its name, typed as the
 * record declares it, so the family's record, and its validation, serve both formats.
 */
final class FirstFormat {
    private FirstFormat() {}

    static JsonObject asJson(Properties props, Class<? extends Record> type) {
        JsonObject json = new JsonObject();
        for (RecordComponent component : type.getRecordComponents()) {
            String text = props.getProperty(component.getName());
            if (text == null) {
                continue;
            }
            Class<?> kind = component.getType();
            if (kind == boolean.class) {
                json.addProperty(component.getName(), Boolean.parseBoolean(text.trim()));
            } else if (kind.isArray()) {
                JsonArray values = new JsonArray();
                Arrays.stream(text.split(",")).map(String::trim).map(BigDecimal::new).forEach(values::add);
                json.add(component.getName(), values);
            } else if (kind.isPrimitive()) {
                json.addProperty(component.getName(), new BigDecimal(text.trim()));
            } else {
                json.addProperty(component.getName(), text.trim());
            }
        }
        return json;
    }

    static long[] longs(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
    }
}
