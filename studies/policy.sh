#!/usr/bin/env bash
# Policy ablation study (STUDIES.md section 7). Two workloads:
#  A) 50 SWE-bench-style programs (swe-bench preset, seed 11), Llama-3.1-8B on the RTX PRO 6000 profile,
#     max_num_seqs 128, at 0.02 / 0.03 / 0.05 programs/s and 12,000 / 24,000 KV blocks, under each policy whole,
#     each of its mechanisms alone and stock vLLM; policies with a host tier get 64 GiB of DRAM over 25 GB/s.
#  B) short programs among long ones (the plas example: 300 bfcl programs at 0.5 / 1 / 1.5 per s with 30
#     swe-bench programs at 0.05/s, max_num_seqs 16, 40,000 and 12,000 blocks, seed 31) for the schedulers.
# Usage: studies/policy.sh OUT_DIR [PARTS]   (PARTS: "swe mix" by default, either alone runs one workload; writes OUT_DIR/results-swe.md and OUT_DIR/results-mix.md; runs under
# OUT_DIR/runs/; JVM capped at 768 MiB)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:?usage: studies/policy.sh OUT_DIR}"
PARTS="${2:-swe mix}"
mkdir -p "$OUT/cfg" "$OUT/runs"
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:--Xmx768m}"
TIER='  host_tier: {capacity_gib: 64, bandwidth_gb_per_s: 25, latency_us: 10}'

policy() { # $1 name -> "retention scheduling tier(0/1)"
  case "$1" in
    stock) echo "stock-lru fcfs 0" ;;
    sched-only) echo "stock-lru program-fcfs 0" ;;           # Continuum's / Autellix's program order alone
    continuum-pin) echo "continuum fcfs 0" ;;                 # Continuum's TTL pinning alone
    continuum) echo "continuum pinned-first 0" ;;
    saga) echo "saga fcfs 0" ;;                               # SAGA's released TTL rule (tau 5 s)
    saga-tool-ttl) echo "saga-tool-ttl fcfs 0" ;;
    gate-retention) echo "gate fcfs 0" ;;                     # the gate policy's pinning alone
    gate-scheduling) echo "stock-lru gate 0" ;;               # its priority + admit + victim hooks alone
    gate) echo "gate gate 0" ;;
    infercept) echo "infercept fcfs 0" ;;                     # min-waste preserve/discard, no host tier
    offload) echo "offload fcfs 1" ;;                         # vLLM native offload, read back at admission
    offload-on-arrival) echo "offload-on-arrival fcfs 1" ;;
    offload-prefetch) echo "offload-prefetch fcfs 1" ;;       # read back before the predicted return
    infercept-tier) echo "infercept fcfs 1" ;;                # min-waste with budgeted swap
  esac
}

summarize() { # summary.json, then the row's leading cells
  python3 - "$@" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
d = s["decisions"]
cells = sys.argv[2:]
print("| " + " | ".join(cells) + f" | {s['programs']['jct_s']['mean']:.0f} | {s['programs']['jct_s']['p90']:.0f} "
      f"| {s['turns']['ttft_ms']['mean'] / 1e3:.2f} | {100 * s['prefix_cache']['hit_rate']:.1f} % "
      f"| {s['kv']['recomputed_tokens'] / 1e6:.2f} | {d['pins_granted']} | {d['pins_kept']} | {d['pins_broken']} "
      f"| {d['pins_expired']} | {d['pin_kept_hit_tokens'] / 1e6:.2f} | {d['discards'] + d['swaps_out']} "
      f"| {d['restores']} | {d['prefetches']}/{d['prefetches_in_time']} | {d['admits_held']} | {d['victims']} |")
PY
}
HEAD='| pins granted | kept | broken | expired | kept-pin hit M tokens | discards + swaps | restores | prefetches / in time | admits held | victims |'
SEP='|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'

if [[ " $PARTS " == *" swe "* ]]; then
printf '| KV blocks | programs/s | policy | mean JCT s | p90 JCT s | mean TTFT s | hit rate | recomputed M tokens %s\n' "$HEAD" > "$OUT/results-swe.md"
printf '|---:|---:|---|---:|---:|---:|---:|---:%s\n' "$SEP" >> "$OUT/results-swe.md"
for blocks in 12000 24000; do
  for rate in 0.02 0.03 0.05; do
    for p in stock sched-only continuum-pin continuum saga saga-tool-ttl gate-retention gate-scheduling gate \
             infercept offload offload-on-arrival offload-prefetch infercept-tier; do
      read -r retention sched tier <<< "$(policy "$p")"
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
$([ "$tier" = 1 ] && echo "$TIER")
scheduling:
  policy: $sched
seed: 11
YAML
      "$ROOT/bin/asim" run "$cfg" --out "$OUT/runs/$name" > /dev/null
      summarize "$OUT/runs/$name/summary.json" "$blocks" "$rate" "$p" >> "$OUT/results-swe.md"
    done
  done
done

fi

if [[ " $PARTS " == *" mix "* ]]; then
printf '| KV blocks | bfcl programs/s | scheduling | mean JCT s | p90 JCT s | mean TTFT s | hit rate | recomputed M tokens %s\n' "$HEAD" > "$OUT/results-mix.md"
printf '|---:|---:|---|---:|---:|---:|---:|---:%s\n' "$SEP" >> "$OUT/results-mix.md"
for blocks in 40000 12000; do
for rate in 0.5 1 1.5; do
  for p in fcfs program-fcfs plas autellix-mlfq autellix-mlfq-swap; do
    sched="$p"; extra=""
    if [ "$p" = autellix-mlfq-swap ]; then
      sched=autellix-mlfq
      extra="$(printf 'kv:\n%s\n' "$TIER")"
      swap="  settings:
    autellix-mlfq: {swap_on_preempt: true}"
    else
      swap=""
    fi
    name="mix-b${blocks}-r${rate}-${p}"
    cfg="$OUT/cfg/$name.yaml"
    cat > "$cfg" <<YAML
model: $ROOT/data/llmservingsim/models/meta-llama/Llama-3.1-8B.json
hardware:
  profile: $ROOT/data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16
engine:
  max_num_batched_tokens: 2048   # pinned: what the study ran with (vLLM's default on this GPU would be 8192)
  max_num_seqs: 16
  num_gpu_blocks: $blocks
programs:
  synthetic:
    - {preset: bfcl, num_programs: 300, programs_per_sec: $rate, token_ids: true}
    - {preset: swe-bench, num_programs: 30, programs_per_sec: 0.05, token_ids: true}
$extra
scheduling:
  policy: $sched
$swap
seed: 31
YAML
    "$ROOT/bin/asim" run "$cfg" --out "$OUT/runs/$name" > /dev/null
    summarize "$OUT/runs/$name/summary.json" "$blocks" "$rate" "$p" >> "$OUT/results-mix.md"
  done
done
done
fi
echo "wrote the results-*.md of parts: $PARTS under $OUT"
