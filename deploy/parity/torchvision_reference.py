#!/usr/bin/python3
"""Reference outputs for the Java import of torchvision ResNet-50 and ViT-B/16 weights (issue: pretrained backbones).

Both models get deterministic weights from a formula the Java test computes too (no weight file is committed), run
one fixed input in eval mode, and the small outputs go to emotion-ml/src/test/resources/parity/*.json: every
state_dict key with its shape (so Java writes the same file torchvision would), logits, pooled features, and the norm
of each stage's/block's output. The ViT also runs at 160 px after torchvision's own position-embedding
interpolation (bicubic, align_corners=True), which checks the Java resize.

Needs Debian's python3-torch (1.13) and python3-torchvision (0.14):
    apt-get install --no-install-recommends python3-torch python3-torchvision
    /usr/bin/python3 deploy/parity/torchvision_reference.py emotion-ml/src/test/resources/parity

The formula (mirrored by dev.emotion.core.models.weights.DeterministicWeights):
    k   = FNV-1a 32-bit hash of the tensor name (UTF-8)
    u_i = ((i * 2654435761 + k) mod 2^32) / 2^32,  c_i = u_i - 0.5            (i = flat row-major index)
    running_var -> 0.5 + u;  running_mean -> 0.2 c;  other 1-D "weight" (norm scale) -> 1 + 0.2 c;
    1-D "bias" -> 0.1 c;  class/pos tokens -> 0.1 c;  rank >= 2 -> 2 c sqrt(3 / fan_in), fan_in = prod(shape[1:])
    computed in float64, rounded once to float32. The input is the tensor named "input" with value 2 c.
"""
import json
import sys

import numpy as np
import torch
import torchvision
from torchvision.models.vision_transformer import interpolate_embeddings


def fnv1a(name):
    h = 0x811C9DC5
    for b in name.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def centred(name, n):
    i = np.arange(n, dtype=np.uint64)
    u = ((i * np.uint64(2654435761) + np.uint64(fnv1a(name))) % np.uint64(2 ** 32)).astype(np.float64) / 2.0 ** 32
    return u


def value(name, shape):
    n = int(np.prod(shape)) if len(shape) else 1
    u = centred(name, n)
    c = u - 0.5
    if name.endswith("running_var"):
        v = 0.5 + u
    elif name.endswith("running_mean"):
        v = 0.2 * c
    elif name in ("class_token", "cls_token", "encoder.pos_embedding", "pos_embed"):
        v = 0.1 * c
    elif len(shape) == 1 and name.endswith("weight"):
        v = 1.0 + 0.2 * c
    elif len(shape) == 1 and name.endswith("bias") or name.endswith("in_proj_bias"):
        v = 0.1 * c
    else:
        fan_in = int(np.prod(shape[1:]))
        v = 2.0 * c * np.sqrt(3.0 / fan_in)
    return torch.from_numpy(v.astype(np.float32).reshape(shape))


def fill(model):
    state = model.state_dict()
    keys = []
    for k, t in state.items():
        keys.append({"name": k, "shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", "")})
        if t.is_floating_point():
            state[k] = value(k, list(t.shape))
    model.load_state_dict(state)
    return keys


def norms(t):
    return [float(x) for x in t.flatten(1).norm(dim=1)]


def run_resnet(x):
    m = torchvision.models.resnet50()
    keys = fill(m)
    m.eval()
    stages = []
    with torch.no_grad():
        h = m.maxpool(m.relu(m.bn1(m.conv1(x))))
        stages.append(norms(h))
        for layer in (m.layer1, m.layer2, m.layer3, m.layer4):
            h = layer(h)
            stages.append(norms(h))
        pooled = torch.flatten(m.avgpool(h), 1)
        logits = m.fc(pooled)
        assert torch.allclose(logits, m(x), atol=1e-5)
    return {"model": "torchvision.models.resnet50", "torch": torch.__version__,
            "torchvision": torchvision.__version__, "keys": keys, "stage_norms": stages,
            "features": pooled.tolist(), "logits": logits.tolist()}


def run_vit(x, image_size=224, state=None):
    m = torchvision.models.vit_b_16(image_size=image_size)
    if state is None:
        keys = fill(m)
    else:
        keys = None
        m.load_state_dict(state)
    m.eval()
    blocks = []
    with torch.no_grad():
        h = m._process_input(x)
        h = torch.cat([m.class_token.expand(h.shape[0], -1, -1), h], dim=1)
        h = h + m.encoder.pos_embedding
        for layer in m.encoder.layers:
            h = layer(h)
            blocks.append(norms(h))
        h = m.encoder.ln(h)
        cls = h[:, 0]
        logits = m.heads(cls)
        assert torch.allclose(logits, m(x), atol=1e-4)
    out = {"model": "torchvision.models.vit_b_16", "image_size": image_size, "torch": torch.__version__,
           "torchvision": torchvision.__version__, "block_norms": blocks, "features": cls.tolist(),
           "logits": logits.tolist()}
    if keys is not None:
        out["keys"] = keys
    return out, m


def main(out_dir):
    torch.set_num_threads(2)
    x224 = value_input((2, 3, 224, 224))
    with open(f"{out_dir}/torchvision_resnet50.json", "w") as f:
        json.dump(run_resnet(x224), f)
    vit, model = run_vit(x224)
    with open(f"{out_dir}/torchvision_vit_b_16.json", "w") as f:
        json.dump(vit, f)
    resized = interpolate_embeddings(160, 16, model.state_dict())
    vit160, _ = run_vit(value_input((2, 3, 160, 160)), 160, resized)
    with open(f"{out_dir}/torchvision_vit_b_16_at_160.json", "w") as f:
        json.dump(vit160, f)


def value_input(shape):
    n = int(np.prod(shape))
    c = centred("input", n) - 0.5
    return torch.from_numpy((2.0 * c).astype(np.float32).reshape(shape))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
