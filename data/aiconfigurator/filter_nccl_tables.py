#!/usr/bin/env python3
"""Copies the subset of NVIDIA AIConfigurator's nccl-tests tables (nccl_perf) that AgentServeSim's
collective calibration uses (see PROVENANCE.md): op_name all_reduce or alltoall, nccl_dtype half.
Kept rows are the upstream lines unchanged under the upstream header (line ends normalised to LF, as
filter_kernel_tables.py does); only rows are dropped. collection_meta.yaml is copied unchanged.
Run from the repository root:
    python3 data/aiconfigurator/filter_nccl_tables.py /work/shared/data/aiconfigurator/perf data/aiconfigurator/perf
"""
import gzip
import os
import shutil
import sys

OPS = {"all_reduce", "alltoall"}


def keep(row):
    return row["op_name"] in OPS and row["nccl_dtype"] == "half"


def main(src_root, dst_root):
    for system in sorted(os.listdir(src_root)):
        for version in sorted(os.listdir(os.path.join(src_root, system))):
            if not version.startswith("nccl-"):
                continue
            src_dir = os.path.join(src_root, system, version)
            dst_dir = os.path.join(dst_root, system, version)
            os.makedirs(dst_dir, exist_ok=True)
            with gzip.open(os.path.join(src_dir, "nccl_perf.csv.gz"), "rt", newline="") as f:
                lines = f.read().splitlines()
            header = lines[0].split(",")
            kept = [lines[0]] + [l for l in lines[1:] if keep(dict(zip(header, l.split(","))))]
            dst = os.path.join(dst_dir, "nccl_perf.csv.gz")
            # mtime=0: the same input gives the same bytes.
            with open(dst, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
                out.write(("\n".join(kept) + "\n").encode())
            meta = os.path.join(src_dir, "collection_meta.yaml")
            if os.path.exists(meta):
                shutil.copyfile(meta, os.path.join(dst_dir, "collection_meta.yaml"))
            print(f"{dst}: {len(kept) - 1} of {len(lines) - 1} rows")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
