package dev.emotion.cli;

import java.util.Arrays;
import java.util.List;

/** Entry point of the Java commands behind ./emotion. */
public final class Main {

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    public static int run(String[] argv) {
        if (argv.length == 0) {
            System.err.println("commands: synth, ingest (prepare_data), train (train_model), evaluate (evaluate_all_models), cross-validate, leaderboard, predict, compare, bench-ingest, bench-synth, bench-recipe, bench-train, bench-inference, bench-stream, bench-predict");
            return 2;
        }
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        try {
            if (rest.contains("--help") || rest.contains("-h")) {
                System.out.println(switch (argv[0]) {
                    case "synth" -> SynthCommand.HELP;
                    case "ingest", "prepare_data" -> IngestCommand.HELP;
                    case "bench-ingest" -> BenchIngest.HELP;
                    case "bench-synth" -> BenchSynth.HELP;
                    case "bench-recipe" -> BenchRecipe.HELP;
                    case "leaderboard" -> LeaderboardCommand.HELP;
                    case "train", "train_model" -> TrainCommand.HELP;
                    case "bench-train" -> BenchTrain.HELP;
                    case "bench-inference" -> BenchInference.HELP;
                    case "bench-stream" -> BenchStream.HELP;
                    case "cross-validate" -> CrossValidateCommand.HELP;
                    case "evaluate", "evaluate_all_models" -> EvaluateCommand.HELP;
                    case "predict" -> PredictCommand.HELP;
                    case "compare" -> CompareCommand.HELP;
                    case "bench-predict" -> BenchPredict.HELP;
                    case "kafka-secure-setup" -> KafkaSecureSetup.HELP;
                    case "demo-steps" -> DemoCommand.HELP;
                    case "compose-smoke" -> SmokeCommand.HELP;
                    default -> "unknown command " + argv[0];
                });
                return 0;
            }
            return switch (argv[0]) {
                case "synth" -> SynthCommand.run(rest);
                case "ingest", "prepare_data" -> IngestCommand.run(rest);
                case "bench-ingest" -> BenchIngest.run(rest);
                case "bench-synth" -> BenchSynth.run(rest);
                case "bench-recipe" -> BenchRecipe.run(rest);
                case "leaderboard" -> LeaderboardCommand.run(rest);
                case "train", "train_model" -> TrainCommand.run(rest);
                case "bench-train" -> BenchTrain.run(rest);
                case "bench-inference" -> BenchInference.run(rest);
                case "bench-stream" -> BenchStream.run(rest);
                case "cross-validate" -> CrossValidateCommand.run(rest);
                case "evaluate", "evaluate_all_models" -> EvaluateCommand.run(rest);
                case "predict" -> PredictCommand.run(rest);
                case "compare" -> CompareCommand.run(rest);
                case "bench-predict" -> BenchPredict.run(rest);
                case "kafka-secure-setup" -> KafkaSecureSetup.run(rest);
                case "demo-steps" -> DemoCommand.run(rest);
                case "compose-smoke" -> SmokeCommand.run(rest);
                default -> throw new UsageException("unknown command '" + argv[0] + "' (synth, ingest, train, evaluate, cross-validate, leaderboard, predict, compare, bench-ingest, bench-synth, bench-recipe, bench-train, bench-inference, bench-stream, bench-predict)");
            };
        } catch (UsageException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println(argv[0] + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }
}
