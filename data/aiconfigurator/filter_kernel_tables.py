#!/usr/bin/env python3
"""Copies the subset of NVIDIA AIConfigurator's vLLM kernel tables that AgentServeSim's roofline
calibration uses (see PROVENANCE.md). Rows are kept byte for byte with the upstream header; only
rows are dropped. Run from the repository root:
    python3 data/aiconfigurator/filter_kernel_tables.py /work/shared/data/aiconfigurator/perf data/aiconfigurator/perf
"""
import gzip
import os
import sys

# Weight shapes (n, k) kept from gemm_perf: every pair of these sizes (hidden sizes and projection
# widths of 7B-70B dense models at TP 1-8) plus wide n for lm_head-like GEMMs.
SIZES = {1024, 2048, 4096, 5120, 6144, 8192, 10240, 12288, 16384}
WIDE_N = {51200, 65536}
WIDE_K = {4096, 5120, 8192}
# Attention head configs (query heads, KV heads) per GPU kept: Llama-3.1-8B at TP 1/2/4, Qwen3-32B
# at TP 1/2 (also Qwen3-30B-A3B at TP 1), Llama-3.1-70B at TP 8. head_dim 128 only.
HEADS = {(32, 8), (16, 4), (8, 2), (64, 8), (32, 4), (8, 1)}
TABLES = ("gemm_perf", "context_attention_perf", "generation_attention_perf")


def keep(table, row):
    if table == "gemm_perf":
        n, k = int(row["n"]), int(row["k"])
        return row["gemm_dtype"] == "bfloat16" and (
            (n in SIZES and k in SIZES) or (n in WIDE_N and k in WIDE_K))
    return (row["attn_dtype"] == "bfloat16" and row["kv_cache_dtype"] == "bfloat16"
            and row.get("window_size", "0") == "0" and row["beam_width"] == "1"
            and row["head_dim"] == "128"
            and (int(row["num_heads"]), int(row["num_key_value_heads"])) in HEADS)


def main(src_root, dst_root):
    for system in sorted(os.listdir(src_root)):
        for version in sorted(os.listdir(os.path.join(src_root, system))):
            if not version.startswith("vllm-"):
                continue
            for table in TABLES:
                src = os.path.join(src_root, system, version, table + ".csv.gz")
                dst = os.path.join(dst_root, system, version, table + ".csv.gz")
                with gzip.open(src, "rt", newline="") as f:
                    lines = f.read().splitlines()
                header = lines[0].split(",")
                kept = [lines[0]] + [l for l in lines[1:] if keep(table, dict(zip(header, l.split(","))))]
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                # mtime=0: the same input gives the same bytes.
                with open(dst, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
                    out.write(("\n".join(kept) + "\n").encode())
                print(f"{dst}: {len(kept) - 1} of {len(lines) - 1} rows")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
