#!/usr/bin/env bash
# ScaleSim study (STUDIES.md section 6): a plan-driven multi-agent simulation of 100 / 1,000 / 10,000 agents at
# about 10 % and 30 % active per world step, Qwen2.5-7B on one H100 with ScaleSim's KV budget (100,000 tokens:
# 6,250 blocks) or the whole 80 GiB GPU, and an 80 GiB host tier behind a 25 or 5 GB/s link, under five KV
# policies:
#   lru          stock-lru, no host tier (SGLang's radix cache without HiCache)
#   hicache      offload: LRU + write-through to host + load on demand (SGLang HiCache)
#   id           invocation-distance: priority eviction + prefetch ahead (ScaleSim)
#   id-noprefetch   ablation: priority eviction only
#   id-nopriority   ablation: prefetch only (LRU eviction)
# With per-agent LoRA adapters (ScaleSim's setup: rank 64 on all seven projections, 308 MiB each, max_loras 100,
# every adapter in the host cache) on the whole 80 GiB GPU (the 100 slots' 30 GiB carved out of the KV pool), for
# 100 / 1,000 agents, two more ablations:
#   id-kvonly       invocation distance on the KV only (adapters LRU, on demand)
#   id-adaptersonly invocation distance on the adapters only (KV as hicache)
# Under lru (no host tier) adapters cross the GPU's own host link (64 GB/s for the H100 in data/hardware/gpus.yaml).
# Usage: studies/scalesim.sh OUT_DIR [PARTS]   PARTS: kv,lora (default), kv or lora (LoRA part: 100 / 1,000 agents unless LORA_AGENTS says)
#   (writes OUT_DIR/results.md; each run under OUT_DIR/runs/; caps the JVM at 1 GiB)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:?usage: studies/scalesim.sh OUT_DIR [kv,lora|kv|lora]}"
PARTS="${2:-kv,lora}"
mkdir -p "$OUT/cfg" "$OUT/runs"
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:--Xmx1g}"

policy_kv() { # $1 policy, $2 link GB/s
  local tier="  host_tier: {capacity_gib: 80, bandwidth_gb_per_s: $2, latency_us: 10}"
  case "$1" in
    lru) echo "  retention: stock-lru" ;;
    hicache) printf '  retention: offload\n%s\n' "$tier" ;;
    id) printf '  retention: invocation-distance\n%s\n' "$tier" ;;
    id-noprefetch) printf '  retention: invocation-distance\n  invocation_distance: {prefetch: false}\n%s\n' "$tier" ;;
    id-nopriority) printf '  retention: invocation-distance\n  invocation_distance: {priority_eviction: false}\n%s\n' "$tier" ;;
    id-kvonly) printf '  retention: invocation-distance\n  invocation_distance: {adapters: false}\n%s\n' "$tier" ;;
    id-adaptersonly) printf '  retention: invocation-distance\n  invocation_distance: {kv: false}\n%s\n' "$tier" ;;
  esac
}

printf '| agents | active | GPU KV | link GB/s | adapters | policy | step s mean | end-to-end s | TTFT p50 ms | TTFT p99 ms | GPU hit rate | restored GB | prefetched GB | adapter loads GB | adapters loaded ahead | max adapters/batch |\n' > "$OUT/results.md"
printf '|---:|---:|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n' >> "$OUT/results.md"

row() { # $1 summary.json, $2 agents, $3 mem, $4 link, $5 adapters, $6 policy
  python3 - "$@" >> "$OUT/results.md" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); w = s["world"]; t = s["turns"]["ttft_ms"]; l = w.get("lora")
lo = f"{l['loaded_bytes'] / 1e9:.1f} | {l['prefetched_adapters']} | {l['max_adapters_in_a_batch']}" if l else "- | - | -"
print(f"| {sys.argv[2]} | {100 * w['active_rate']:.1f}% | {sys.argv[3]} | {sys.argv[4]} | {sys.argv[5]} | {sys.argv[6]} | {w['step_time_s']['mean']:.3f} | "
      f"{w['end_to_end_s']:.2f} | {t['p50']:.1f} | {t['p99']:.1f} | {100 * s['prefix_cache']['hit_rate']:.1f}% | "
      f"{s['kv']['restored_bytes'] / 1e9:.1f} | {w['prefetched_bytes'] / 1e9:.1f} | {lo} |")
PY
}

case ",$PARTS," in *,kv,*) kv_agents="100 1000 10000" ;; *) kv_agents="" ;; esac
for agents in $kv_agents; do
  steps=$([ "$agents" -ge 10000 ] && echo 8 || echo 20)
  for max_ticks in 19 6; do   # action lengths uniform 1..19 (mean 10: ~10 % call per step) or 1..6 (~29 %)
   for mem in 100k 80GiB; do
    # Batch limits pinned to what the study ran with (vLLM's own default on an H100 would be 8192 / 1024).
    if [ "$mem" = 100k ]; then engine="engine: {num_gpu_blocks: 6250, max_num_batched_tokens: 2048, max_num_seqs: 256}"; hw="hardware: {gpu: h100_sxm}"
    else engine="engine: {max_num_batched_tokens: 2048, max_num_seqs: 256}"; hw="hardware: {gpu: h100_sxm, memory_gib: 80}"; fi
    for link in 25 5; do
      for p in lru hicache id id-noprefetch id-nopriority; do
        [ "$p" = lru ] && [ "$link" != 25 ] && continue   # no host tier: the link does not matter
        name="a$agents-t$max_ticks-$mem-l$link-$p"
        cat > "$OUT/cfg/$name.yaml" <<YAML
model: $ROOT/data/models/Qwen/Qwen2.5-7B-Instruct.json
$hw
$engine
world:
  synthetic:
    agents: $agents
    steps: $steps
    activation: plan
    plan: {ticks_per_step: 1, action_ticks: {type: uniform, min: 1, max: $max_ticks}}
kv:
$(policy_kv "$p" "$link")
seed: 11
YAML
        "$ROOT/bin/asim" run "$OUT/cfg/$name.yaml" --out "$OUT/runs/$name" > /dev/null
        row "$OUT/runs/$name/summary.json" "$agents" "$mem" "$link" no "$p"
      done
    done
   done
  done
done

# With per-agent LoRA adapters: the whole 80 GiB GPU, ScaleSim's max_loras 100. 10,000 agents are not in the
# default grid (26 more runs, ~8 min): LORA_AGENTS=10000 runs them (STUDIES.md §6b).
# LORA_AGENTS, LORA_TICKS, LORA_LINKS and LORA_POLICIES narrow the grid (e.g. the 10,000-agent rows of §6b:
# LORA_AGENTS=10000 LORA_TICKS=19 LORA_LINKS=25 LORA_POLICIES="hicache id" studies/scalesim.sh OUT lora).
case ",$PARTS," in *,lora,*) lora_agents="${LORA_AGENTS:-100 1000}" ;; *) lora_agents="" ;; esac
for agents in $lora_agents; do
  lora_steps=$([ "$agents" -ge 10000 ] && echo 8 || echo 20)
  for max_ticks in ${LORA_TICKS:-19 6}; do
    for link in ${LORA_LINKS:-25 5}; do
      for p in ${LORA_POLICIES:-lru hicache id id-noprefetch id-nopriority id-kvonly id-adaptersonly}; do
        [ "$p" = lru ] && [ "$link" != 25 ] && continue
        name="lora-a$agents-t$max_ticks-80GiB-l$link-$p"
        cat > "$OUT/cfg/$name.yaml" <<YAML
model: $ROOT/data/models/Qwen/Qwen2.5-7B-Instruct.json
hardware: {gpu: h100_sxm, memory_gib: 80}
engine: {max_num_batched_tokens: 2048, max_num_seqs: 256}
world:
  synthetic:
    agents: $agents
    steps: $lora_steps
    activation: plan
    plan: {ticks_per_step: 1, action_ticks: {type: uniform, min: 1, max: $max_ticks}}
lora: {rank: 64, max_loras: 100, adapters: per-agent}
kv:
$(policy_kv "$p" "$link")
seed: 11
YAML
        "$ROOT/bin/asim" run "$OUT/cfg/$name.yaml" --out "$OUT/runs/$name" > /dev/null
        row "$OUT/runs/$name/summary.json" "$agents" 80GiB "$link" "rank 64 x $agents" "$p"
      done
    done
  done
done
cat "$OUT/results.md"
