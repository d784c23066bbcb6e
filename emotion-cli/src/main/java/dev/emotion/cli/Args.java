package dev.emotion.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options and {@code --flag} switches; unknown names are an error that lists the known ones. */
final class Args {

    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private final List<String> positionals = new java.util.ArrayList<>();

    Args(String command, List<String> args, Set<String> options, Set<String> switches) {
        this(command, args, options, switches, false);
    }

    /** With {@code positional}, arguments that are not options (e.g. paths) are collected in order. */
    Args(String command, List<String> args, Set<String> options, Set<String> switches, boolean positional) {
        this.command = command;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                if (positional) {
                    positionals.add(a);
                    continue;
                }
                throw new UsageException(command + ": unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switches.contains(name)) {
                flags.add(name);
            } else if (options.contains(name)) {
                if (inline == null && (i + 1 >= args.size() || args.get(i + 1).startsWith("--"))) {
                    throw new UsageException(command + ": --" + name + " needs a value");
                }
                values.put(name, inline != null ? inline : args.get(++i));
            } else {
                throw new UsageException(command + ": unknown option --" + name + " (known: --"
                        + String.join(", --", new java.util.TreeSet<>(union(options, switches))) + ")");
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.addAll(b);
        return s;
    }

    List<String> positionals() {
        return List.copyOf(positionals);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException(command + ": --" + name + " is required");
        }
        return v;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " '" + v + "' is not a whole number");
        }
    }

    double number(String name, double fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " '" + v + "' is not a number");
        }
    }
}
