package dev.gridserve.schema;

import java.util.List;

/** A schema file that cannot be used, with every problem found in it, each a sentence naming the field. */
public class SchemaException extends IllegalStateException {
    private final List<String> problems;

    public SchemaException(String source, List<String> problems) {
        super("The table schema " + source + " cannot be used:\n - " + String.join("\n - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
