package dev.emotion.core.models.weights;

import java.util.List;

/** How the tensors of one file naming convention map onto a DJL backbone's parameters. */
public interface WeightLayout {

    /** Short name, e.g. "torchvision resnet50". */
    String name();

    /** What a matching file looks like, for error messages. */
    String expects();

    /** Candidate tensor names in the file for a backbone parameter (dotted path, see WeightImport.parameters). */
    List<String> sourceNames(String parameterPath);

    /** The file tensor turned into the parameter's layout (transposes, resizing); identity by default. */
    default Tensor adapt(String parameterPath, Tensor t, long[] targetShape) {
        return t;
    }

    /** The shape the file should hold for a parameter of {@code targetShape} (for messages). */
    default long[] sourceShape(String parameterPath, long[] targetShape) {
        return targetShape;
    }
}
