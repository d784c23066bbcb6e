package dev.emotion.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * A convolutional backbone whose last feature map (B, C, h, w) can be read before its global average pooling, for
 * Grad-CAM: the pooled features the head sees are that map's spatial mean.
 */
public interface ConvFeatures {

    NDArray featureMap(ParameterStore ps, NDArray images);

    /**
     * Makes the last stage trainable again (fine-tuning on top of a frozen backbone; batch-norm statistics stay as
     * pretrained because a frozen backbone runs in inference mode).
     */
    void unfreezeLastBlock();
}
