package dev.emotion.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Entry point of the Java commands behind ./emotion. {@link #COMMANDS} is the one list of them: dispatch, help and
 * the unknown-command answer come from it (./emotion hands every command it does not supervise itself to this
 * class). Each command parses its own options with picocli ({@link Args}).
 */
public final class Main {

    /** A command's entry point: its arguments after the command name; returns the exit code. */
    @FunctionalInterface
    interface Entry {
        int run(List<String> args) throws Exception;
    }

    /** One Java command: its name, the aliases the seed's users know (prepare_data, ...), its help and entry. */
    record Command(String name, List<String> aliases, String help, Entry entry) {
        boolean answers(String typed) {
            return name.equals(typed) || aliases.contains(typed);
        }
    }

    static final List<Command> COMMANDS = List.of(
            new Command("synth", List.of(), SynthCommand.HELP, SynthCommand::run),
            new Command("ingest", List.of("prepare_data"), IngestCommand.HELP, IngestCommand::run),
            new Command("import", List.of(), ImportCommand.HELP, ImportCommand::run),
            new Command("train", List.of("train_model"), TrainCommand.HELP, TrainCommand::run),
            new Command("evaluate", List.of("evaluate_all_models"), EvaluateCommand.HELP, EvaluateCommand::run),
            new Command("cross-validate", List.of(), CrossValidateCommand.HELP, CrossValidateCommand::run),
            new Command("leaderboard", List.of(), LeaderboardCommand.HELP, LeaderboardCommand::run),
            new Command("predict", List.of(), PredictCommand.HELP, PredictCommand::run),
            new Command("compare", List.of(), CompareCommand.HELP, CompareCommand::run),
            new Command("bench-ingest", List.of(), BenchIngest.HELP, BenchIngest::run),
            new Command("bench-synth", List.of(), BenchSynth.HELP, BenchSynth::run),
            new Command("bench-recipe", List.of(), BenchRecipe.HELP, BenchRecipe::run),
            new Command("bench-transfer", List.of(), BenchTransfer.HELP, BenchTransfer::run),
            new Command("bench-train", List.of(), BenchTrain.HELP, BenchTrain::run),
            new Command("bench-inference", List.of(), BenchInference.HELP, BenchInference::run),
            new Command("bench-stream", List.of(), BenchStream.HELP, BenchStream::run),
            new Command("bench-predict", List.of(), BenchPredict.HELP, BenchPredict::run),
            new Command("demo-steps", List.of(), DemoCommand.HELP, DemoCommand::run),
            new Command("compose-smoke", List.of(), SmokeCommand.HELP, SmokeCommand::run),
            new Command("kafka-secure-setup", List.of(), KafkaSecureSetup.HELP, KafkaSecureSetup::run));

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static Optional<Command> find(String typed) {
        return COMMANDS.stream().filter(c -> c.answers(typed)).findFirst();
    }

    static String names() {
        List<String> n = new ArrayList<>();
        for (Command c : COMMANDS) {
            n.add(c.aliases().isEmpty() ? c.name() : c.name() + " (" + String.join(", ", c.aliases()) + ")");
        }
        return String.join(", ", n);
    }

    public static int run(String[] argv) {
        if (argv.length == 0) {
            System.err.println("commands: " + names());
            return 2;
        }
        Optional<Command> command = find(argv[0]);
        if (command.isEmpty()) {
            System.err.println("unknown command '" + argv[0] + "' (commands: " + names() + "; ./emotion help for all)");
            return 2;
        }
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            System.out.println(command.get().help());
            return 0;
        }
        try {
            return command.get().entry().run(rest);
        } catch (UsageException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println(argv[0] + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }
}
