"""Kernel start-up times through a real Jupyter client: start to kernel_info reply, to the first
DSL cell's reply, to the first inline PNG. Debian's Python ipykernel is the reference (ready only), and
jgen started plainly ("jgen-plain": without its class-data-sharing archive and its quick-start JIT
setting) shows what those two bring.
Usage: python3 kernel_start.py REPEATS. Prints one JSON line per measurement."""
import json
import os
import sys
import tempfile
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

QUICK_START_FLAGS = ("-XX:SharedArchiveFile=", "-Xlog:cds", "-XX:TieredStopAtLevel=")


def plain_jgen_specs(folder):
    """A kernelspec "jgen-plain": jgen's own, less the quick-start flags, in a folder of its own."""
    spec = KernelSpecManager().get_kernel_spec("jgen")
    argv = [a.replace("{resource_dir}", spec.resource_dir) for a in spec.argv if not a.startswith(QUICK_START_FLAGS)]
    os.makedirs(os.path.join(folder, "jgen-plain"))
    with open(os.path.join(folder, "jgen-plain", "kernel.json"), "w") as f:
        json.dump(dict(spec.to_dict(), argv=argv, display_name="jgen, plain start"), f)
    return KernelSpecManager(kernel_dirs=[folder])


def run_until(kc, code, want_png=False, timeout=120):
    msg_id = kc.execute(code)
    saw_png = not want_png
    replied = False
    while not (replied and saw_png):
        msg = kc.get_iopub_msg(timeout=timeout) if not replied or not saw_png else None
        if msg and msg["parent_header"].get("msg_id") == msg_id:
            if msg["msg_type"] in ("display_data", "execute_result") and "image/png" in msg["content"].get("data", {}):
                saw_png = True
            if msg["msg_type"] == "error":
                raise RuntimeError("cell failed: " + msg["content"]["evalue"])
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                replied = True
                if not saw_png:
                    raise RuntimeError("no PNG came from: " + code)


def measure(kernel, first_cell=None, plot_cell=None, specs=None):
    start = time.perf_counter()
    km = KernelManager(kernel_name=kernel, **({"kernel_spec_manager": specs} if specs else {}))
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        result = {"kernel": kernel, "ready": time.perf_counter() - start}
        if first_cell:
            run_until(kc, first_cell)
            result["first_cell"] = time.perf_counter() - start
        if plot_cell:
            run_until(kc, plot_cell, want_png=True)
            result["first_plot"] = time.perf_counter() - start
        return result
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as folder:
        plain = plain_jgen_specs(folder)
        for _ in range(repeats):
            print(json.dumps(measure("jgen", "Gen.device()", "Datasets.moons(200)")), flush=True)
            print(json.dumps(measure("jgen-plain", "Gen.device()", "Datasets.moons(200)", plain)), flush=True)
            print(json.dumps(measure("python3")), flush=True)
