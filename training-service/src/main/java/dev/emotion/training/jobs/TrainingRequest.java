package dev.emotion.training.jobs;

/**
 * {@code POST /api/v1/trainings}: what to train on what. Only {@code studyId}, {@code model} and {@code task} are
 * required; the rest default to the architecture's spec (see README). {@code resume} names an earlier training of
 * the same model whose last checkpoint the run continues from (same hyper-parameters give the same result as an
 * uninterrupted run). {@code backbone} picks a pretrained architecture's backbone (resnet_pretrained: resnet50,
 * resnet34-faces, face-expression; vit_pretrained: vit_b_16); {@code weights} is a safetensors path or http(s) URL
 * for ImageNet backbones (default: the weights directory), {@code weightsSha256} its digest to check;
 * {@code unfreezeLastBlock} (vit_pretrained) also trains the backbone's last transformer block. {@code folds}
 * (cross-validations only) deals the participants into that many groups (participant-grouped K-fold); without it
 * every participant is a fold of its own (leave-one-participant-out). {@code participantBaseline} subtracts each
 * participant's mean face from their crops in training, evaluation and scoring (default: on for the architectures
 * trained from scratch, off for the frozen pretrained ones).
 */
public record TrainingRequest(String studyId, String model, String task, Integer epochs, Integer batchSize,
                              Integer gradAccum, Float learningRate, Float weightDecay, Integer patience, Long seed,
                              Boolean augment, Boolean allowRandomInit, String resume, String backbone,
                              String weights, String weightsSha256, Boolean unfreezeLastBlock, Integer folds,
                              Boolean participantBaseline) {
}
