#!/usr/bin/env bash
# SAGA's placement on two instances (STUDIES.md section 7, SAGA row): the single-instance policy study cannot show
# SAGA's router, so this one serves 100 swe-bench programs (seed 11) on two Llama-3.1-8B / RTX PRO 6000 instances
# at 0.04 / 0.06 / 0.10 programs/s (the per-instance load of policy.sh's 0.02 / 0.03 / 0.05) with 12,000 and
# 24,000 KV blocks per instance, under SAGA whole (saga retention + saga router), each part alone and two
# stock set-ups:
#   saga          saga retention (tau 5 s)  + saga router (context holder unless capacity_limit, else least KV use)
#   saga-route    stock-lru                 + saga router
#   saga-ttl      saga retention            + load router (least KV utilisation per turn, SAGA's fallback alone)
#   stock-load    stock-lru                 + load router
#   stock-rr      stock-lru                 + round-robin
# Usage: studies/policy-saga-route.sh OUT_DIR   (writes OUT_DIR/results.md; runs under OUT_DIR/runs/; JVM at 768 MiB)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:?usage: studies/policy-saga-route.sh OUT_DIR}"
mkdir -p "$OUT/cfg" "$OUT/runs"
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:--Xmx768m}"

setup() { # $1 name -> "retention router"
  case "$1" in
    saga) echo "saga saga" ;;
    saga-route) echo "stock-lru saga" ;;
    saga-ttl) echo "saga load" ;;
    stock-load) echo "stock-lru load" ;;
    stock-rr) echo "stock-lru round-robin" ;;
  esac
}

printf '| KV blocks per instance | programs/s | set-up | mean JCT s | p90 JCT s | mean TTFT s | hit rate | recomputed M tokens | pins granted | kept | broken |\n' > "$OUT/results.md"
printf '|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n' >> "$OUT/results.md"
for blocks in 12000 24000; do
  for rate in 0.04 0.06 0.10; do
    for p in saga saga-route saga-ttl stock-load stock-rr; do
      read -r retention router <<< "$(setup "$p")"
      name="kv${blocks}-r${rate}-${p}"
      cfg="$OUT/cfg/$name.yaml"
      cat > "$cfg" <<YAML
model: $ROOT/data/llmservingsim/models/meta-llama/Llama-3.1-8B.json
hardware:
  profile: $ROOT/data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16
engine:
  max_num_batched_tokens: 2048   # pinned: what policy.sh runs with
  max_num_seqs: 128
  num_gpu_blocks: $blocks
programs:
  synthetic:
    preset: swe-bench
    num_programs: 100
    programs_per_sec: $rate
    token_ids: true
kv:
  retention: $retention
  ttl_s: 5.0
cluster:
  instances: 2
  router: $router
scheduling:
  policy: fcfs
seed: 11
YAML
      "$ROOT/bin/asim" run "$cfg" --out "$OUT/runs/$name" > /dev/null
      python3 - "$OUT/runs/$name/summary.json" "$blocks" "$rate" "$p" >> "$OUT/results.md" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
d = s["decisions"]
print("| " + " | ".join(sys.argv[2:]) + f" | {s['programs']['jct_s']['mean']:.0f} | {s['programs']['jct_s']['p90']:.0f} "
      f"| {s['turns']['ttft_ms']['mean'] / 1e3:.2f} | {100 * s['prefix_cache']['hit_rate']:.1f} % "
      f"| {s['kv']['recomputed_tokens'] / 1e6:.2f} | {d['pins_granted']} | {d['pins_kept']} | {d['pins_broken']} |")
PY
    done
  done
done
echo "wrote $OUT/results.md"
