#!/usr/bin/python3
"""Reference values for MetricsTest: the Fréchet distance (scipy.linalg.sqrtm) and the unbiased KID
(cubic polynomial kernel) of fixed feature sets, computed with Debian's NumPy and SciPy.

Run from this folder: /usr/bin/python3 reference.py   (apt-get install python3-scipy)
"""
import json

import numpy as np
from scipy import linalg


def frechet(a, b):
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root, _ = linalg.sqrtm(cov_a @ cov_b, disp=False)
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a + cov_b - 2 * root.real))


def kid(a, b):
    d = a.shape[1]
    k = lambda x, y: (x @ y.T / d + 1) ** 3
    m, n = len(a), len(b)
    kaa, kbb, kab = k(a, a), k(b, b), k(a, b)
    return float((kaa.sum() - np.trace(kaa)) / (m * (m - 1)) + (kbb.sum() - np.trace(kbb)) / (n * (n - 1)) - 2 * kab.mean())


rng = np.random.default_rng(2026)
dim = 12
mixing = rng.normal(size=(dim, dim))
a = (rng.normal(size=(200, dim)) @ mixing).astype(np.float32)
b = (rng.normal(size=(160, dim)) @ mixing * 1.2 + 0.3).astype(np.float32)
a64, b64 = a.astype(np.float64), b.astype(np.float64)
with open("features.json", "w") as out:
    json.dump({"dim": dim, "a": [float(v) for v in a.flatten()], "b": [float(v) for v in b.flatten()],
               "frechet": frechet(a64, b64), "kid": kid(a64, b64),
               "numpy": np.__version__, "scipy": __import__("scipy").__version__}, out)
