#!/usr/bin/env python3
"""Copies the AIConfigurator vLLM kernel tables that `hardware.step_times: kernel-tables` prices
engine steps from (see PROVENANCE.md, "step-tables/"). Rows are kept byte for byte under the upstream
header; only rows are dropped. Run from the repository root:
    python3 data/aiconfigurator/filter_step_tables.py /work/shared/data/aiconfigurator/perf data/aiconfigurator/step-tables
"""
import csv
import gzip
import io
import os
import sys

TABLES = ("gemm_perf", "context_attention_perf", "generation_attention_perf", "moe_perf")


def keep(table, row):
    if table in ("gemm_perf", "moe_perf"):
        return True  # every weight shape and dtype (bf16, fp8, fp8_block, nvfp4, int4 ...)
    # Attention: full attention, one beam, head_dim 128 (every model the catalog ships), bf16
    # activations with a bf16 or fp8 KV cache.
    return (row["attn_dtype"] == "bfloat16" and row["kv_cache_dtype"] in ("bfloat16", "fp8")
            and row.get("window_size", "0") == "0" and row["beam_width"] == "1"
            and row["head_dim"] == "128")


def main(src_root, dst_root):
    for system in sorted(os.listdir(src_root)):
        for version in sorted(os.listdir(os.path.join(src_root, system))):
            if not version.startswith("vllm-"):
                continue
            for table in TABLES:
                src = os.path.join(src_root, system, version, table + ".csv.gz")
                dst = os.path.join(dst_root, system, version, table + ".csv.gz")
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                with gzip.open(src, "rt", newline="") as f:
                    lines = f.read().splitlines()
                header = next(csv.reader([lines[0]]))
                kept = [lines[0]]
                for line in lines[1:]:
                    row = dict(zip(header, next(csv.reader([line]))))
                    if keep(table, row):
                        kept.append(line)
                with open(dst, "wb") as out:
                    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as g:
                        g.write(("\n".join(kept) + "\n").encode())
                print(system, version, table, len(kept) - 1, "rows")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
