package dev.emotion.core.contract;

/**
 * Where each head of the {@code affect} model sits in its output row. The heads share the backbone and the
 * hidden layer; each is its own set of columns of the output layer (a linear head per target, concatenated), with
 * its own loss on its own targets.
 */
public final class AffectOutputs {
    /** Logits of the 8 dominant classes (softmax). */
    public static final int CLASSES = 0;
    /** One logit per AFFDEX expression (sigmoid: intensity 0..1). */
    public static final int EXPRESSIONS = 8;
    /** Valence (tanh: -1..1). */
    public static final int VALENCE = EXPRESSIONS + EmotionLabels.AFFDEX_EXPRESSIONS
            .size();
    /** Engagement (sigmoid: 0..1). */
    public static final int ENGAGEMENT = VALENCE + 1;
    /** Attention (sigmoid: 0..1). */
    public static final int ATTENTION = ENGAGEMENT + 1;
    public static final int OUTPUTS = ATTENTION + 1;
    public static final java.util.List<String> LABELS = labels();

    private AffectOutputs() {
    }

    private static java.util.List<String> labels() {
        java.util.List<String> l = new java.util.ArrayList<>(Emotion.DOMINANT_LABELS);
        l.addAll(EmotionLabels.AFFDEX_EXPRESSIONS);
        l.addAll(java.util.List.of("valence", "engagement", "attention"));
        return java.util.List.copyOf(l);
    }
}
