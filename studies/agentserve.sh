#!/usr/bin/env bash
# AgentServe study (STUDIES.md section 8, issue 17): closed-loop tool agents on one consumer GPU under AgentServe,
# its two ablations and three baselines, all on the same engine and step times.
#   GPUs       rtx_a5000 (64 SMs, 768 GB/s, 24 GB) and rtx_5090 (170 SMs, 1,792 GB/s, 32 GB), roofline step times
#   models     Qwen2.5-3B, Qwen2.5-7B, Llama-3-8B (Llama-3.1-8B's shapes)
#   workloads  react, plan-execute presets (ToolBench-like: 2-6k-token cold prompts, 100-600-token tool outputs)
#   agents     3, 4, 5 and 6 closed-loop agents, 30 tasks per run, seed 17
#   engines    agentserve        split streams on SM shares, TPOT feedback (target 50 ms, the SLO)
#              as-no-feedback    same, R_min 0.3 and B_prefill 512 fixed
#              as-no-partition   same controller, the two streams time-sliced on the whole GPU
#              vllm              vLLM v1 chunked prefill (max_num_batched_tokens 2048), FCFS
#              sglang            prefill-only / decode-only steps, prefill first
#              llama-cpp         FCFS, no chunking, one prompt per step
#   SLO        TTFT 2 s and TPOT 50 ms per turn (slo.turns_within_slo)
# Usage: studies/agentserve.sh OUT_DIR [GPUS] [MODELS] [WORKLOADS] [AGENTS]
#   (writes OUT_DIR/results.md and OUT_DIR/results.tsv; runs under OUT_DIR/runs/; each JVM capped at 512 MiB)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:?usage: studies/agentserve.sh OUT_DIR [GPUS] [MODELS] [WORKLOADS] [AGENTS]}"
GPUS="${2:-rtx_a5000 rtx_5090}"
MODELS="${3:-qwen3b qwen7b llama8b}"
WORKLOADS="${4:-react plan-execute}"
AGENTS="${5:-3 4 5 6}"
ENGINES="agentserve as-no-feedback as-no-partition vllm sglang llama-cpp"
mkdir -p "$OUT/cfg" "$OUT/runs"
export ASIM_JAVA_OPTS="${ASIM_JAVA_OPTS:--Xmx512m}"

model_json() {
  case "$1" in
    qwen3b) echo "$ROOT/data/models/Qwen/Qwen2.5-3B-Instruct.json" ;;
    qwen7b) echo "$ROOT/data/models/Qwen/Qwen2.5-7B-Instruct.json" ;;
    llama8b) echo "$ROOT/data/llmservingsim/models/meta-llama/Llama-3.1-8B.json" ;;
  esac
}
memory_gib() { case "$1" in rtx_a5000) echo 24 ;; rtx_5090) echo 32 ;; esac; }

engine_yaml() { # $1 engine
  case "$1" in
    agentserve) printf 'scheduling:\n  policy: agentserve\n  settings:\n    agentserve: {tpot_target_ms: 50}\n' ;;
    as-no-feedback) printf 'scheduling:\n  policy: agentserve\n  settings:\n    agentserve: {tpot_target_ms: 50, feedback: false}\n' ;;
    as-no-partition) printf 'scheduling:\n  policy: agentserve\n  settings:\n    agentserve: {tpot_target_ms: 50, sm_partition: false}\n' ;;
    vllm) printf 'scheduling:\n  policy: fcfs\n' ;;
    sglang) printf 'scheduling:\n  policy: sglang\n' ;;
    llama-cpp) printf 'scheduling:\n  policy: llama-cpp\n' ;;
  esac
}

for gpu in $GPUS; do
  for model in $MODELS; do
    for wl in $WORKLOADS; do
      for n in $AGENTS; do
        for e in $ENGINES; do
          name="$gpu-$model-$wl-a$n-$e"
          cfg="$OUT/cfg/$name.yaml"
          chunk=""
          if [ "$e" = llama-cpp ]; then chunk=$'\n  enable_chunked_prefill: false\n  max_num_batched_tokens: 16384'; fi
          cat > "$cfg" <<YAML
model: $(model_json "$model")
hardware:
  gpu: $gpu
  memory_gib: $(memory_gib "$gpu")
engine:
  max_num_seqs: 16
  max_model_len: 16384$chunk
programs:
  closed_loop_agents: $n
  synthetic:
    - {preset: $wl, num_programs: 30, programs_per_sec: 0, token_ids: true}
$(engine_yaml "$e")
slo:
  ttft_ms: 2000
  tpot_ms: 50
seed: 17
YAML
          "$ROOT/bin/asim" run "$cfg" --out "$OUT/runs/$name" > /dev/null
        done
      done
    done
  done
done
python3 "$ROOT/studies/agentserve_table.py" "$OUT" "$GPUS" "$MODELS" "$WORKLOADS" "$AGENTS" "$ENGINES"
echo "wrote $OUT/results.md"
