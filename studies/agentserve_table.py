"""Tables of studies/agentserve.sh: one row per run (results.tsv) and, per GPU/model/workload/agents, each engine's
TTFT, TPOT p50/p95 (over turns), throughput and SLO attainment, with ratios to AgentServe (results.md)."""
import csv
import json
import sys
from pathlib import Path


def pct(xs, p):
    """numpy's linear-interpolation percentile of a sorted list."""
    if not xs:
        return 0.0
    k = (len(xs) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


def run_row(run):
    s = json.loads((run / "summary.json").read_text())
    rows = list(csv.DictReader(open(run / "turns.csv")))
    ttft = sorted(int(r["ttft_ns"]) / 1e6 for r in rows)
    tpot = sorted(int(r["tpot_ns"]) / 1e6 for r in rows if int(r["output_tokens"]) > 1)
    gap = sorted(int(r["itl_max_ns"]) / 1e6 for r in rows if int(r["output_tokens"]) > 1)
    cold = [int(r["ttft_ns"]) / 1e6 for r in rows if r["prefill_kind"] == "cold"]
    resume = [int(r["ttft_ns"]) / 1e6 for r in rows if r["prefill_kind"] == "resume"]
    streams = s["work"].get("streams", {})
    return {
        "ttft_mean": sum(ttft) / len(ttft), "ttft_p50": pct(ttft, 50), "ttft_p95": pct(ttft, 95),
        "cold_ttft": sum(cold) / max(1, len(cold)), "resume_ttft": sum(resume) / max(1, len(resume)),
        "tpot_p50": pct(tpot, 50), "tpot_p95": pct(tpot, 95), "gap_p95": pct(gap, 95),
        "tok_s": s["throughput"]["output_tokens_per_s"],
        "slo": s["slo"]["turns_within_slo"], "share": streams.get("decode_mean_sm_share", ""),
    }


def main():
    out = Path(sys.argv[1])
    gpus, models, workloads, agents, engines = (a.split() for a in sys.argv[2:7])
    keys = ["ttft_mean", "ttft_p50", "ttft_p95", "cold_ttft", "resume_ttft", "tpot_p50", "tpot_p95", "gap_p95",
            "tok_s", "slo", "share"]
    tsv = [["gpu", "model", "workload", "agents", "engine"] + keys]
    md = ["| GPU | model | workload | agents | engine | TTFT mean ms | TTFT p95 ms | cold TTFT ms | resume TTFT ms "
          "| TPOT p50 ms | TPOT p95 ms | max gap p95 ms | output tok/s | SLO | TTFT vs AS | TPOT p95 vs AS |",
          "|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for g in gpus:
        for m in models:
            for w in workloads:
                for a in agents:
                    base = None
                    for e in engines:
                        r = run_row(out / "runs" / f"{g}-{m}-{w}-a{a}-{e}")
                        if e == "agentserve":
                            base = r
                        tsv.append([g, m, w, a, e] + [f"{r[k]:.4f}" if isinstance(r[k], float) else str(r[k]) for k in keys])
                        md.append(f"| {g} | {m} | {w} | {a} | {e} | {r['ttft_mean']:.0f} | {r['ttft_p95']:.0f} "
                                  f"| {r['cold_ttft']:.0f} | {r['resume_ttft']:.0f} | {r['tpot_p50']:.1f} | {r['tpot_p95']:.1f} "
                                  f"| {r['gap_p95']:.0f} | {r['tok_s']:.0f} | {r['slo']:.2f} "
                                  f"| {r['ttft_mean'] / base['ttft_mean']:.2f}x | {r['tpot_p95'] / base['tpot_p95']:.2f}x |")
    (out / "results.tsv").write_text("\n".join("\t".join(r) for r in tsv) + "\n")
    (out / "results.md").write_text("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
