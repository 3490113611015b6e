"""Shared by the PyTorch reference scripts: the thread count, Fashion-MNIST from the Debian package, timing."""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch

torch.set_num_threads(int(os.environ.get("JGEN_BENCH_THREADS", "2")))
torch.set_num_interop_threads(1)
torch.manual_seed(0)

DATA = os.environ.get("JGEN_DATA", "/usr/share/datasets/fashion-mnist")


def fashion_mnist():
    """The 60,000 training images as a float32 tensor (N, 1, 28, 28) in [0, 1]."""
    with gzip.open(os.path.join(DATA, "train-images-idx3-ubyte.gz"), "rb") as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    return torch.from_numpy(raw.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0)


def report(name, seconds, **extra):
    """One JSON line on stdout, read by the Java bench."""
    print(json.dumps({"workload": name, "seconds": seconds, **extra}))
    sys.stdout.flush()


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
