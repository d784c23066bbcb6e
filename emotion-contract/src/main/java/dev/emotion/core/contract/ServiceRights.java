package dev.emotion.core.contract;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What each service may do on an authorised broker: the topics it writes, the topics it reads, the consumer groups
 * it may join (every group whose name starts with {@link #groupPrefix()}) and its principal. The one source of the
 * ACLs that {@code ./emotion kafka start --secure} grants and that the Kubernetes Strimzi overlay lists; a service
 * also reads and writes the dead-letter topic of each topic it reads (where it parks records it cannot take).
 */
public enum ServiceRights {

    INGEST("ingest",
            EnumSet.of(Topic.INGEST_REQUESTS, Topic.INGEST_PROGRESS, Topic.INGEST_FRAMES, Topic.INGEST_COMPLETED),
            EnumSet.of(Topic.INGEST_REQUESTS, Topic.INGEST_PROGRESS, Topic.INGEST_COMPLETED)),
    TRAINING("training",
            EnumSet.of(Topic.TRAINING_REQUESTS, Topic.TRAINING_PROGRESS, Topic.TRAINING_CROSSVAL,
                    Topic.TRAINING_CROSSVAL_PROGRESS, Topic.MODELS_TRAINED),
            EnumSet.of(Topic.INGEST_FRAMES, Topic.INGEST_COMPLETED, Topic.TRAINING_REQUESTS, Topic.TRAINING_PROGRESS,
                    Topic.TRAINING_CROSSVAL_PROGRESS, Topic.MODELS_TRAINED)),
    EVALUATION("evaluation",
            EnumSet.of(Topic.EVALUATION_REQUESTS, Topic.EVALUATION_PROGRESS, Topic.EVALUATION_REPORTS),
            EnumSet.of(Topic.INGEST_FRAMES, Topic.INGEST_COMPLETED, Topic.MODELS_TRAINED, Topic.TRAINING_PROGRESS,
                    Topic.TRAINING_CROSSVAL, Topic.EVALUATION_REQUESTS, Topic.EVALUATION_PROGRESS)),
    INFERENCE("inference",
            EnumSet.of(Topic.INFERENCE_PREDICTIONS),
            EnumSet.of(Topic.INFERENCE_FRAMES, Topic.MODELS_TRAINED, Topic.EVALUATION_REPORTS));

    /**
     * Topics no service writes: clients outside the four services publish there (cameras and players send frames
     * to {@code emotion.inference.frames}); on a secure broker the administrator grants them their own principal.
     */
    public static final Set<Topic> WRITTEN_BY_CLIENTS = EnumSet.of(Topic.INFERENCE_FRAMES);

    private final String service;
    private final Set<Topic> writes;
    private final Set<Topic> reads;

    ServiceRights(String service, Set<Topic> writes, Set<Topic> reads) {
        this.service = service;
        this.writes = writes;
        this.reads = reads;
    }

    /** The service's short name ({@code ingest}, {@code training}, ...). */
    public String service() {
        return service;
    }

    /** The SASL user name of the service's principal ({@code emotion-ingest}, ...). */
    public String principal() {
        return "emotion-" + service;
    }

    /** Every consumer group of the service starts with this: views, stores and the worker group. */
    public String groupPrefix() {
        return service + "-";
    }

    public Set<Topic> writes() {
        return writes;
    }

    public Set<Topic> reads() {
        return reads;
    }

    /** The names of the dead-letter topics the service reads and writes: one per topic it reads. */
    public Set<String> deadLetterTopics() {
        Set<String> names = new TreeSet<>();
        reads.forEach(t -> names.add(t.deadLetterTopic()));
        return names;
    }

    /**
     * The SASL login line ({@code sasl.jaas.config}) of a SCRAM user: what a client of the secure broker sends, for
     * the administrator's set-up, the services' environment and the tests alike.
     */
    public static String scramLogin(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** The one service that writes {@code topic}, if a service does. */
    public static java.util.Optional<ServiceRights> writerOf(Topic topic) {
        return java.util.Arrays.stream(values()).filter(s -> s.writes.contains(topic)).findFirst();
    }

    public static ServiceRights of(String service) {
        for (ServiceRights s : values()) {
            if (s.service.equals(service)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no service '" + service + "' (ingest, training, evaluation, inference)");
    }
}
