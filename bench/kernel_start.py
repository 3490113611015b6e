"""Kernel start-up times through a real Jupyter client: start to kernel_info reply, to the first
DSL cell's reply, to the first inline PNG. Debian's Python ipykernel is the reference (ready only).
Usage: python3 kernel_start.py REPEATS. Prints one JSON line per measurement."""
import json
import sys
import time

from jupyter_client.manager import KernelManager


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


def measure(kernel, first_cell=None, plot_cell=None):
    start = time.perf_counter()
    km = KernelManager(kernel_name=kernel)
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
    for _ in range(repeats):
        print(json.dumps(measure("jgen", "Gen.device()", "Datasets.moons(200)")), flush=True)
        print(json.dumps(measure("python3")), flush=True)
