#!/usr/bin/env bash
# Policy ablation study (STUDIES.md section 7): 50 SWE-bench-style programs (the swe-bench preset, seed 11),
# Llama-3.1-8B on the RTX PRO 6000 profile, max_num_seqs 128, at three arrival rates and two KV sizes, under:
#   stock            stock-lru + fcfs (stock vLLM)
#   sched-only       stock-lru + program-fcfs (Continuum's / Autellix's program-order scheduling alone)
#   continuum-pin    continuum + fcfs (Continuum's TTL pinning alone)
#   continuum        continuum + pinned-first (both parts)
#   saga             saga + fcfs (SAGA's released pressure-scaled TTL, tau = 5 s)
#   saga-tool-ttl    saga-tool-ttl + fcfs (tool p95 EMA log-normal TTL, capped 300 s)
# Usage: studies/policy.sh OUT_DIR   (writes OUT_DIR/results.md; runs under OUT_DIR/runs/; JVM capped at 768 MiB)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:?usage: studies/policy.sh OUT_DIR}"
mkdir -p "$OUT/cfg" "$OUT/runs"
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:--Xmx768m}"

policy() { # $1 name -> "retention scheduling"
  case "$1" in
    stock) echo "stock-lru fcfs" ;;
    sched-only) echo "stock-lru program-fcfs" ;;
    continuum-pin) echo "continuum fcfs" ;;
    continuum) echo "continuum pinned-first" ;;
    saga) echo "saga fcfs" ;;
    saga-tool-ttl) echo "saga-tool-ttl fcfs" ;;
  esac
}

printf '| KV blocks | programs/s | policy | mean JCT s | p90 JCT s | mean TTFT s | hit rate | recomputed M tokens | pins used | pins broken | pins expired |\n' > "$OUT/results.md"
printf '|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n' >> "$OUT/results.md"
for blocks in 12000 24000; do
  for rate in 0.02 0.03 0.05; do
    for p in stock sched-only continuum-pin continuum saga saga-tool-ttl; do
      read -r retention sched <<< "$(policy "$p")"
      name="kv${blocks}-r${rate}-${p}"
      cfg="$OUT/cfg/$name.yaml"
      cat > "$cfg" <<YAML
model: $ROOT/data/llmservingsim/models/meta-llama/Llama-3.1-8B.json
hardware:
  profile: $ROOT/data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16
engine:
  max_num_batched_tokens: 2048   # pinned: what the study ran with (vLLM's default on this GPU would be 8192)
  max_num_seqs: 128
  num_gpu_blocks: $blocks
programs:
  synthetic:
    preset: swe-bench
    num_programs: 50
    programs_per_sec: $rate
    token_ids: true
kv:
  retention: $retention
  ttl_s: 5.0
  continuum_threshold_s: 5.0
scheduling:
  policy: $sched
seed: 11
YAML
      "$ROOT/bin/asim" run "$cfg" --out "$OUT/runs/$name" > /dev/null
      python3 - "$OUT/runs/$name/summary.json" "$blocks" "$rate" "$p" >> "$OUT/results.md" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
kv = s["kv"]
print(f"| {sys.argv[2]} | {sys.argv[3]} | {sys.argv[4]} | {s['programs']['jct_s']['mean']:.0f} | {s['programs']['jct_s']['p90']:.0f} "
      f"| {s['turns']['ttft_ms']['mean'] / 1e3:.2f} | {100 * s['prefix_cache']['hit_rate']:.1f} % | {kv['recomputed_tokens'] / 1e6:.2f} "
      f"| {kv['pins_used']} | {kv['pins_broken']} | {kv['pins_expired']} |")
PY
    done
  done
done
echo "wrote $OUT/results.md"
