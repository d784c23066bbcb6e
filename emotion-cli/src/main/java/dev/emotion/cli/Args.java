package dev.emotion.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * A command's {@code --name value} options (also {@code --name=value}) and {@code --flag} switches, parsed by picocli
 * from the names the command declares; a mistake (unknown option, missing value, stray argument) is a
 * {@link UsageException} that names it and lists the known options. The typed getters name the option whose value
 * is not a number.
 */
final class Args {

    private final String command;
    private final ParseResult parsed;

    Args(String command, List<String> args, Set<String> options, Set<String> switches) {
        this(command, args, options, switches, false);
    }

    /** With {@code positional}, arguments that are not options (e.g. paths) are collected in order. */
    Args(String command, List<String> args, Set<String> options, Set<String> switches, boolean positional) {
        this.command = command;
        CommandSpec spec = CommandSpec.create().name(command);
        for (String o : options) {
            spec.addOption(OptionSpec.builder("--" + o).type(String.class).arity("1").paramLabel("VALUE").build());
        }
        for (String s : switches) {
            spec.addOption(OptionSpec.builder("--" + s).type(boolean.class).arity("0").build());
        }
        if (positional) {
            spec.addPositional(PositionalParamSpec.builder().type(List.class).auxiliaryTypes(String.class)
                    .arity("0..*").paramLabel("PATH").build());
        }
        CommandLine cl = new CommandLine(spec)
                .setOverwrittenOptionsAllowed(true) // the last value given wins, as in most CLIs
                .setExpandAtFiles(false);           // '@file' is a path a user means, not an argument file
        try {
            parsed = cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.MissingParameterException e) {
            throw new UsageException(command + ": " + names(e.getMissing()) + " needs a value");
        } catch (CommandLine.UnmatchedArgumentException e) {
            String first = e.getUnmatched().isEmpty() ? "?" : e.getUnmatched().get(0);
            if (first.startsWith("-")) {
                throw new UsageException(command + ": unknown option " + first.replaceFirst("=.*", "")
                        + " (known: " + known(options, switches) + ")");
            }
            throw new UsageException(command + ": unexpected argument '" + first + "'");
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(command + ": " + e.getMessage());
        }
    }

    private static String names(List<ArgSpec> specs) {
        List<String> n = new ArrayList<>();
        for (ArgSpec a : specs) {
            n.add(a.isOption() ? ((OptionSpec) a).longestName() : a.paramLabel());
        }
        return String.join(", ", n);
    }

    private static String known(Set<String> options, Set<String> switches) {
        TreeSet<String> all = new TreeSet<>(options);
        all.addAll(switches);
        return "--" + String.join(", --", all);
    }

    List<String> positionals() {
        List<String> p = parsed.matchedPositionalValue(0, List.<String>of());
        return List.copyOf(p);
    }

    String get(String name, String fallback) {
        return parsed.matchedOptionValue("--" + name, fallback);
    }

    String required(String name) {
        String v = get(name, null);
        if (v == null) {
            throw new UsageException(command + ": --" + name + " is required");
        }
        return v;
    }

    boolean has(String name) {
        return parsed.hasMatchedOption("--" + name) && !flagNamed(name);
    }

    boolean flag(String name) {
        return flagNamed(name) && parsed.hasMatchedOption("--" + name);
    }

    private boolean flagNamed(String name) {
        OptionSpec o = parsed.commandSpec().findOption("--" + name);
        return o != null && o.arity().max() == 0;
    }

    int integer(String name, int fallback) {
        String v = get(name, null);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " '" + v + "' is not a whole number");
        }
    }

    double number(String name, double fallback) {
        String v = get(name, null);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " '" + v + "' is not a number");
        }
    }
}
