#!/usr/bin/env python3
"""Pairs napier_bench results on the same input and prints the napier/GiNaC time ratios as a Markdown table.

Usage: bench/ratios.py RESULT.json...   (Google Benchmark JSON, from --benchmark_out=... --benchmark_out_format=json)

Benchmarks are named <topic>/<library>/<size>. Times are CPU times of the benchmark thread per iteration of the
timed loop (the machine may be shared, so wall times are noisier); with repetitions, the median is used.
ratio = napier time / GiNaC time: below 1 napier is faster, and the target of the issue (napier at least 10x
faster) is ratio <= 0.1. "first call" is the CPU time of the first call in the process, before the timed loop
(counter first_s; for napier it includes allocating every new node, see bench/bench_util.hpp).
"""
import json
import sys

UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def seconds(value):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if value >= scale or unit == "ns":
            return f"{value / scale:.3g} {unit}"
    return f"{value:.3g} s"


def load(paths):
    runs, context = {}, {}
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        context.update({k: v for k, v in data.get("context", {}).items() if isinstance(v, str)})
        for b in data.get("benchmarks", []):
            if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
                continue
            name = b.get("run_name", b["name"])
            parts = name.split("/")
            if len(parts) != 3:
                continue
            if b.get("run_type") == "iteration" and (name in runs and runs[name].get("run_type") == "aggregate"):
                continue
            runs[name] = b
    return runs, context


def describe(b):
    if b is None:
        return "not run", None
    if b.get("error_occurred"):
        return "error: " + b.get("error_message", "?"), None
    t = b["cpu_time"] * UNITS[b.get("time_unit", "ns")]
    return seconds(t), t


UNIT_NAMES = {"parse": "term", "sigmoid_gradient": "entry", "softmax_jacobian": "entry", "softmax_row": "entry",
              "power_sum": "term", "nested_sin": "level", "shared_dag": "level"}


def extra(b, topic):
    if b is None or b.get("error_occurred"):
        return ""
    notes = []
    if "per_unit" in b:
        notes.append(seconds(b["per_unit"]) + "/" + UNIT_NAMES.get(topic, "unit"))
    if "bytes_per_second" in b:
        notes.append(f"{b['bytes_per_second'] / 1e6:.2f} MB/s")
    if "nodes" in b:
        notes.append(f"{b['nodes']:.0f} nodes, {b['edges']:.0f} edges")
    return ", ".join(notes)


def first(b):
    if b is None or b.get("error_occurred") or "first_s" not in b:
        return None
    return b["first_s"]


def main(paths):
    runs, context = load(paths)
    keys = {}
    for name in runs:
        topic, _, size = name.split("/")
        keys.setdefault(topic, set()).add(int(size))
    order = []
    for name in runs:  # topics in the order they ran
        topic = name.split("/")[0]
        if topic not in order:
            order.append(topic)
    for k in sorted(context):
        if k.startswith("probe_") or k in ("stack_limit", "benchmark_thread_stack"):
            print(f"{k}: {context[k]}  ")
    print()
    print("| benchmark | size | napier | GiNaC | napier/GiNaC | first call napier/GiNaC | <= 0.1 | napier | GiNaC |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | :---: | --- | --- |")
    for topic in order:
        for size in sorted(keys[topic]):
            mine = runs.get(f"{topic}/napier/{size}")
            theirs = runs.get(f"{topic}/ginac/{size}")
            a, ta = describe(mine)
            b, tb = describe(theirs)
            ratio = f"{ta / tb:.3g}" if ta and tb else "—"
            met = ("yes" if ta / tb <= 0.1 else "no") if ta and tb else ""
            fa, fb = first(mine), first(theirs)
            first_ratio = f"{fa / fb:.3g} ({seconds(fa)} / {seconds(fb)})" if fa and fb else "—"
            print(f"| {topic} | {size} | {a} | {b} | {ratio} | {first_ratio} | {met} | {extra(mine, topic)} |"
                  f" {extra(theirs, topic)} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
