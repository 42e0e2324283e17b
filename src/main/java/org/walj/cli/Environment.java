package org.walj.cli;

import java.util.Map;
import java.util.Optional;

/** The process environment, injectable so commands can be tested without touching the real one. */
public record Environment(Map<String, String> variables) {
    public Environment {
        variables = Map.copyOf(variables);
    }

    public static Environment system() {
        return new Environment(System.getenv());
    }

    /** The variable's value when it is set and not empty. */
    public Optional<String> get(String name) {
        String v = variables.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }
}
