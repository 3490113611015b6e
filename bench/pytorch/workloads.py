"""The four bench workloads in PyTorch, with the same architectures, batch sizes and optimizers as jgen's
defaults. Usage: python3 workloads.py vae|dcgan|flow|diffusion. Prints one JSON line per run."""
import copy
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import fashion_mnist, report, timed


def vae_epoch(images):
    """Default MLP VAE (784-512-256, latent 16), Bernoulli likelihood, Adam 1e-3, batch 128, one epoch."""
    enc = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 32))
    dec = nn.Sequential(nn.Linear(16, 256), nn.ReLU(), nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, 784))
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3)
    x_all = images.reshape(-1, 784)

    def run():
        order = torch.randperm(x_all.shape[0])
        for start in range(0, x_all.shape[0], 128):
            x = x_all[order[start:start + 128]]
            mu, log_var = enc(x).chunk(2, dim=1)
            log_var = log_var.clamp(-12, 6)
            z = mu + (0.5 * log_var).exp() * torch.randn_like(mu)
            logits = dec(z)
            recon = (F.softplus(logits) - logits * x).sum(1)
            kl = 0.5 * (mu.pow(2) + log_var.exp() - 1 - log_var).sum(1)
            loss = (recon + kl).mean()
            opt.zero_grad(set_to_none=False)
            loss.backward()
            opt.step()
    return timed(run)


def ema_update(model, average, decay):
    with torch.no_grad():
        for p, a in zip(model.state_dict().values(), average.state_dict().values()):
            if a.dtype.is_floating_point:
                a.add_((p - a) * (1 - decay))


def dcgan_steps(images, steps=100):
    """jgen's DCGAN: G dense to 64x7x7, (upsample, 3x3 conv) twice with batch norm; D two 4x4 stride-2 convs."""
    g = nn.Sequential(nn.Linear(64, 64 * 49), nn.BatchNorm1d(64 * 49), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
                      nn.Upsample(scale_factor=2), nn.Conv2d(64, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                      nn.Upsample(scale_factor=2), nn.Conv2d(32, 1, 3, padding=1), nn.Sigmoid())
    d = nn.Sequential(nn.Conv2d(1, 32, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(32, 64, 4, 2, 1), nn.LeakyReLU(0.2),
                      nn.Flatten(), nn.Linear(64 * 49, 1))
    g_ema = copy.deepcopy(g)
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))

    def run():
        order = torch.randperm(images.shape[0])
        for step in range(steps):
            real = images[order[step * 64:(step + 1) * 64]]
            fake = g(torch.randn(64, 64)).detach()
            d_loss = F.softplus(-d(real)).mean() + F.softplus(d(fake)).mean()
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
            g_loss = F.softplus(-d(g(torch.randn(64, 64)))).mean()
            opt_g.zero_grad()
            g_loss.backward()
            opt_g.step()
            ema_update(g, g_ema, min(0.999, (2.0 + step) / (11.0 + step)))
    return timed(run)


def moons(n=4000, noise=0.1):
    t = math.pi * torch.rand(n)
    moon = torch.arange(n) % 2
    x = torch.where(moon == 0, torch.cos(t), 1 - torch.cos(t)) + noise * torch.randn(n)
    y = torch.where(moon == 0, torch.sin(t), 0.5 - torch.sin(t)) + noise * torch.randn(n)
    return torch.stack([x, y], 1)


class Coupling(nn.Module):
    """ActNorm then an affine coupling whose conditioner sees the masked half (jgen's Flow for points)."""

    def __init__(self, mask, hidden):
        super().__init__()
        self.register_buffer("mask", mask)
        self.loc = nn.Parameter(torch.zeros(2))
        self.log_scale = nn.Parameter(torch.zeros(2))
        self.net = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 4))
        nn.init.zeros_(self.net[-1].weight)

    def forward(self, x):
        z = x * self.log_scale.exp() + self.loc
        log_det = self.log_scale.sum().expand(x.shape[0])
        s, t = self.net(z * self.mask).chunk(2, dim=1)
        free = 1 - self.mask
        s = s.tanh() * free
        return z * s.exp() + t * free, log_det + s.sum(1)


def flow_steps(steps=1000, batch=256):
    """RealNVP with 8 couplings, hidden 128, Adam 1e-3, batch 256, on two moons."""
    data = moons()
    layers = nn.ModuleList([Coupling(torch.tensor([1.0, 0.0]) if k % 2 == 0 else torch.tensor([0.0, 1.0]), 128) for k in range(8)])
    opt = torch.optim.Adam(layers.parameters(), lr=1e-3)

    def run():
        for step in range(steps):
            x = data[torch.randint(0, data.shape[0], (batch,))]
            log_det = torch.zeros(batch)
            for layer in layers:
                x, ld = layer(x)
                log_det = log_det + ld
            loss = -(-0.5 * x.pow(2).sum(1) - math.log(2 * math.pi) + log_det).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    return timed(run)


class Residual(nn.Module):
    def __init__(self, inputs, outputs, embedding):
        super().__init__()
        self.first = nn.Sequential(nn.GroupNorm(8, inputs), nn.SiLU(), nn.Conv2d(inputs, outputs, 3, padding=1))
        self.project = nn.Linear(embedding, outputs)
        self.second = nn.Sequential(nn.GroupNorm(8, outputs), nn.SiLU(), nn.Conv2d(outputs, outputs, 3, padding=1))
        self.shortcut = nn.Conv2d(inputs, outputs, 1) if inputs != outputs else nn.Identity()

    def forward(self, x, emb):
        h = self.first(x) + self.project(F.silu(emb))[:, :, None, None]
        return self.second(h) + self.shortcut(x)


class UNet(nn.Module):
    """jgen's U-Net for 28x28 images with 32 channels (the default), no attention."""

    def __init__(self, c=32):
        super().__init__()
        self.c = c
        self.time = nn.Sequential(nn.Linear(c, 4 * c), nn.SiLU(), nn.Linear(4 * c, 4 * c))
        self.inp = nn.Conv2d(1, c, 3, padding=1)
        self.down1 = Residual(c, c, 4 * c)
        self.downsample1 = nn.Conv2d(c, c, 3, 2, 1)
        self.down2 = Residual(c, 2 * c, 4 * c)
        self.downsample2 = nn.Conv2d(2 * c, 2 * c, 3, 2, 1)
        self.middle = Residual(2 * c, 2 * c, 4 * c)
        self.up2 = Residual(4 * c, 2 * c, 4 * c)
        self.up1 = Residual(3 * c, c, 4 * c)
        self.out = nn.Sequential(nn.GroupNorm(8, c), nn.SiLU(), nn.Conv2d(c, 1, 3, padding=1))

    def forward(self, x, t):
        half = self.c // 2
        freqs = torch.exp(-math.log(10000) * torch.arange(half) / half)
        angles = t[:, None] * freqs[None]
        emb = self.time(torch.cat([angles.sin(), angles.cos()], 1))
        s1 = self.down1(self.inp(x), emb)
        s2 = self.down2(self.downsample1(s1), emb)
        h = self.middle(self.downsample2(s2), emb)
        h = self.up2(torch.cat([F.interpolate(h, scale_factor=2), s2], 1), emb)
        h = self.up1(torch.cat([F.interpolate(h, scale_factor=2), s1], 1), emb)
        return self.out(h)


def diffusion_steps(images, steps=100):
    """Noise-prediction training of the U-Net, cosine schedule, T = 1000, Adam 2e-3, batch 64, with EMA."""
    f = lambda u: math.cos((u / 1000 + 0.008) / 1.008 * math.pi / 2) ** 2
    alpha_bar = torch.tensor([f(t + 1) / f(0) for t in range(1000)])
    net = UNet()
    average = copy.deepcopy(net)
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)

    def run():
        order = torch.randperm(images.shape[0])
        for step in range(steps):
            x0 = images[order[step * 64:(step + 1) * 64]] * 2 - 1
            t = torch.randint(0, 1000, (64,))
            noise = torch.randn_like(x0)
            a = alpha_bar[t][:, None, None, None]
            loss = (net(a.sqrt() * x0 + (1 - a).sqrt() * noise, t.float()) - noise).pow(2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            ema_update(net, average, min(0.999, (2.0 + step) / (11.0 + step)))
    return timed(run)


if __name__ == "__main__":
    workload = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    images = fashion_mnist() if workload in ("vae", "dcgan", "diffusion") else None
    # Untimed warm-up, as the Java bench does: the first kernels and allocations land here.
    warm_ups = {"vae": lambda: vae_epoch(images[:2560]), "dcgan": lambda: dcgan_steps(images, 5),
                "flow": lambda: flow_steps(50), "diffusion": lambda: diffusion_steps(images, 3)}
    if workload in warm_ups:
        warm_ups[workload]()
    for _ in range(repeats):
        if workload == "vae":
            report("vae", vae_epoch(images))
        elif workload == "dcgan":
            report("dcgan", dcgan_steps(images))
        elif workload == "flow":
            report("flow", flow_steps())
        elif workload == "diffusion":
            report("diffusion", diffusion_steps(images))
        else:
            sys.exit("unknown workload " + workload + "; use vae, dcgan, flow or diffusion")
