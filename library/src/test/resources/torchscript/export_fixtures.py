#!/usr/bin/python3
"""Writes the TorchScript fixtures TorchScriptTest reads, with PyTorch's own outputs for fixed inputs.

Run with Debian's PyTorch 1.13 (apt-get install python3-torch) from this folder:
    /usr/bin/python3 export_fixtures.py
The networks are small and seeded, so the files are a few tens of kilobytes and the same on every run.
"""
import json
import shutil
import zipfile

import torch
from torch import nn


class Generator(nn.Module):
    """A DCGAN-style generator: latent 8 -> 1 x 16 x 16 images in [0, 1]."""

    def __init__(self):
        super().__init__()
        self.project = nn.Linear(8, 32 * 4 * 4)
        self.up = nn.Sequential(
            nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 4, 2, 1), nn.Sigmoid())

    def forward(self, z):
        return self.up(self.project(z).view(-1, 32, 4, 4))


class PointDenoiser(nn.Module):
    """A noise predictor eps(x_t, t) for 2-D points; t holds one timestep index per example (float)."""

    def __init__(self, timesteps: int = 100):
        super().__init__()
        self.timesteps = timesteps
        self.net = nn.Sequential(nn.Linear(4, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 2))

    def forward(self, x, t):
        angle = t.float().unsqueeze(1) / self.timesteps * 3.14159
        return self.net(torch.cat([x, torch.sin(angle), torch.cos(angle)], dim=1))


def values(tensor):
    return {"shape": list(tensor.shape), "values": [float(v) for v in tensor.flatten().tolist()]}


def export():
    torch.manual_seed(0)
    generator = Generator()
    # A few training-mode passes give BatchNorm running statistics other than the defaults.
    with torch.no_grad():
        for _ in range(3):
            generator(torch.randn(16, 8))
    generator.eval()
    scripted = torch.jit.script(generator)
    scripted.save("generator.pt")
    z = torch.randn(4, 8)
    with torch.no_grad():
        images = scripted(z)
    denoiser = torch.jit.script(PointDenoiser().eval())
    denoiser.save("denoiser.pt")
    x = torch.randn(4, 2)
    t = torch.tensor([0.0, 10.0, 50.0, 99.0])
    with torch.no_grad():
        noise = denoiser(x, t)
    with open("outputs.json", "w") as out:
        json.dump({"torch": torch.__version__, "generator": {"z": values(z), "images": values(images)},
                   "denoiser": {"x": values(x), "t": values(t), "noise": values(noise)}}, out, indent=1)
    future_version(scripted)


def future_version(scripted):
    """generator.pt as a much newer PyTorch would write it: a file format version no libtorch reads yet."""
    shutil.copy("generator.pt", "from-the-future.pt")
    with zipfile.ZipFile("generator.pt") as source, zipfile.ZipFile("from-the-future.pt", "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith("/version") and "/.data/" not in item.filename:
                data = b"99\n"
            target.writestr(item, data)


if __name__ == "__main__":
    export()
