#!/usr/bin/python3
"""cnn_simple in PyTorch eager, for the DJL-vs-PyTorch comparison (bench/djl-vs-pytorch.sh).

Same layers as EmotionNet cnn_simple: 4 x (conv3x3 no bias, BatchNorm, ReLU, maxpool 2) 64-128-256-512, global
average pool, Linear 512-512, ReLU, Dropout 0.3, Linear 512-8; AdamW (lr 1e-4, weight decay 0.05); random 64x64
inputs. Prints forward (batch 32) and training-step images/s as one line of a markdown table.
Uses Debian's python3-torch (apt-get install python3-torch); no downloads.
"""
import sys
import time

import torch
from torch import nn

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 8.0
batch = int(sys.argv[3]) if len(sys.argv) > 3 else 16
torch.set_num_threads(threads)
torch.manual_seed(42)

layers = []
channels = 3
for filters in (64, 128, 256, 512):
    layers += [nn.Conv2d(channels, filters, 3, padding=1, bias=False), nn.BatchNorm2d(filters), nn.ReLU(),
               nn.MaxPool2d(2)]
    channels = filters
model = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 512), nn.ReLU(),
                      nn.Dropout(0.3), nn.Linear(512, 8))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.05)


def rate(duration, per_step, step):
    step()
    step()
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < duration or n < 2:
        step()
        n += 1
    return n * per_step / (time.perf_counter() - start)


def forward():
    model.eval()
    with torch.no_grad():
        model(torch.rand(32, 3, 64, 64) * 2 - 1)


def train():
    model.train()
    x = torch.rand(batch, 3, 64, 64) * 2 - 1
    loss = -torch.log_softmax(model(x), dim=1).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


fwd = rate(seconds / 2, 32, forward)
trn = rate(seconds, batch, train)
print("| PyTorch %s eager (%d threads) | %.1f | %.1f |" % (torch.__version__, threads, fwd, trn))
