"""Drives the real jgen kernel through jupyter_client for the integration tests.

Reads {"cells": [{"code": str, "interrupt_after": seconds?, "interrupt_from_first_display": bool?,
"complete": bool?, "inspect": bool?}, ...], "kernel": name?, "env": {name: value}?} as JSON on stdin (the interrupt is timed from the cell's first
display_data when asked: a training dashboard appears once the loop runs, however slow the machine) (a "complete" cell sends a complete_request for its code instead of running it, an "inspect" cell an
inspect_request, as Shift-Tab does),
runs each cell in one kernel session and prints, as JSON on stdout, the kernel_info reply and for
every cell its execute reply, its IOPub outputs and how long it took. Outputs that arrive for a cell
after it finished (printed by a thread it started) are added to that cell's outputs.
"""
import json
import os
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel


def complete(kc, cell, timeout):
    if cell.get("inspect"):
        msg_id = kc.inspect(cell["code"], len(cell["code"]))
    else:
        msg_id = kc.complete(cell["code"], len(cell["code"]))
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return {"reply": reply["content"], "outputs": [], "seconds": 0, "interrupted_at": None}


OUTPUT_TYPES = ("stream", "display_data", "update_display_data", "execute_result", "error")


def run_cell(km, kc, cell, timeout, outputs_by_request):
    if cell.get("complete") or cell.get("inspect"):
        return complete(kc, cell, timeout)
    started = time.monotonic()
    msg_id = kc.execute(cell["code"])
    interrupt_at = cell.get("interrupt_after")
    timed_from = None if cell.get("interrupt_from_first_display") else 0.0
    interrupted_at = None
    outputs = outputs_by_request[msg_id] = []
    while True:
        if (interrupt_at is not None and interrupted_at is None and timed_from is not None
                and time.monotonic() - started >= timed_from + interrupt_at):
            km.interrupt_kernel()
            interrupted_at = time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise SystemExit("cell did not finish within %ss: %r" % (timeout, cell["code"][:80]))
        try:
            msg = kc.get_iopub_msg(timeout=0.1)
        except queue.Empty:
            continue
        kind = msg["header"]["msg_type"]
        parent = msg["parent_header"].get("msg_id")
        if parent != msg_id:
            if parent in outputs_by_request and kind in OUTPUT_TYPES:
                outputs_by_request[parent].append({"type": kind, "content": msg["content"], "at": None})
            continue
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind in OUTPUT_TYPES:
            outputs.append({"type": kind, "content": msg["content"], "at": time.monotonic() - started})
            if kind == "display_data" and timed_from is None:
                timed_from = time.monotonic() - started
    reply = kc.get_shell_msg(timeout=timeout)
    return {
        "reply": reply["content"],
        "outputs": outputs,
        "seconds": time.monotonic() - started,
        "interrupted_at": interrupted_at,
    }


def main():
    spec = json.load(sys.stdin)
    timeout = spec.get("timeout", 300)
    env = dict(os.environ, **spec.get("env", {}))
    km, kc = start_new_kernel(kernel_name=spec.get("kernel", "jgen"), startup_timeout=120, env=env)
    try:
        info = kc.kernel_info(reply=True, timeout=60)["content"]
        outputs_by_request = {}
        results = [run_cell(km, kc, cell, timeout, outputs_by_request) for cell in spec["cells"]]
        json.dump({"kernel_info": info, "results": results}, sys.stdout)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
