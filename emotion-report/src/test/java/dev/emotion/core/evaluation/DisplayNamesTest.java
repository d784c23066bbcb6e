package dev.emotion.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisplayNamesTest {

    @Test
    void modelIdsBecomeShortUniqueNames() {
        Map<String, String> n = DisplayNames.of(List.of("model-cnn_simple-4c28485e", "model-vit_scratch-91aa02bc",
                "model-resnet_pretrained-4c28ffff", "model-cnn_simple-4c28aaaa", "face_expression_baseline",
                "an-imported-model-with-a-very-long-name"));
        assertEquals("cnn_simple 4c28485e", n.get("model-cnn_simple-4c28485e"), "alike at 4: longer");
        assertEquals("cnn_simple 4c28aaaa", n.get("model-cnn_simple-4c28aaaa"));
        assertEquals("vit_scratch 91aa", n.get("model-vit_scratch-91aa02bc"));
        assertEquals("resnet_pretrained 4c28", n.get("model-resnet_pretrained-4c28ffff"));
        assertEquals("face_expression_baseline", n.get("face_expression_baseline"));
        assertEquals("an-imported-model-with-a-ve~", n.get("an-imported-model-with-a-very-long-name"));
        assertEquals(List.of("x-abcdef12", "x-abcdef12 "), List.copyOf(DisplayNames.of(
                List.of("x-abcdef12", "x-abcdef12 ")).keySet()));
    }
}
