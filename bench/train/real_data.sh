#!/usr/bin/env bash
# Real-data training runs of issue 6: a WordPiece vocabulary learned on patent text and the
# training splits, a small random-init BERT (4 layers, 256 hidden, 4 heads), then `spanloop train`
# on TFH-2020 patent NER and on CoNLL-2003 (train split; evaluated on validation), bf16 on CPU.
# Usage: bench/train/real_data.sh [OUT_DIR]   (env: SPANLOOP_BIN, SHARED, TFH_EPOCHS, CONLL_EPOCHS,
#        VOCAB_SIZE, LR, THREADS (intra-op threads per run, 0 = all cores),
#        STEPS_ONLY=tokenizer|tfh|conll to run one part: tfh and conll can run side by side)
# Skips (exit 0) with a message when the shared data is absent.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${SPANLOOP_BIN:-$root/build/release/bin/spanloop}"
shared="${SHARED:-${SPANLOOP_SHARED_DIR:-$root/../shared}}"
data="$shared/data"
out="${1:-$root/build/real_data}"
vocab="${VOCAB_SIZE:-12000}"
only="${STEPS_ONLY:-all}"
lr="${LR:-1e-3}"
threads="${THREADS:-0}"

if [[ ! -f "$data/tfh_patent_ner/train.jsonl" || ! -f "$data/conll2003/train.jsonl" ||
      ! -f "$data/claims/claims.csv" ]]; then
  echo "real_data.sh: skipped: $data (tfh_patent_ner, conll2003, claims) not found" >&2
  exit 0
fi
[[ -x "$bin" ]] || { echo "real_data.sh: $bin not built (cmake --build build/release --target spanloop)" >&2; exit 1; }
mkdir -p "$out"
run() { echo "+ $*" >&2; /usr/bin/time -f "wall %e s, max RSS %M KiB" nice -n 19 "$@"; }

# 1. Cased WordPiece vocabulary (CoNLL needs case) over claims + TFH abstracts + CoNLL sentences.
if [[ "$only" == all || "$only" == tokenizer ]]; then
  run "$bin" tokenizer train --vocab-size "$vocab" --min-frequency 2 --text-field text \
    --out "$out/tokenizer" "$data/claims/claims.csv" "$data/tfh_patent_ner/train.jsonl" \
    "$data/conll2003/train.jsonl"
fi

# 2. One random-init model per dataset (the label set lives in config.json; train adds a head).
init() {
  run "$bin" init-model --arch bert --layers 4 --hidden 256 --heads 4 --seed 42 \
    --tokenizer "$out/tokenizer" --labels O --out "$1"
}

# 3. TFH-2020 patent abstracts: bert words, IOB2 from the spans; abstracts > 128 pieces become
#    windows with a stride of 32.
if [[ "$only" == all || "$only" == tfh ]]; then
  init "$out/bert-4x256-tfh"
  echo "load before: $(uptime)" >&2
  run "$bin" train --model "$out/bert-4x256-tfh" \
    --data-path "$data/tfh_patent_ner/train.jsonl" --valid-split validation.jsonl \
    --pretokenizer bert --project-name "$out/tfh" --epochs "${TFH_EPOCHS:-3}" --batch-size 16 \
    --lr "$lr" --threads "$threads" --warmup-ratio 0.1 --weight-decay 0.01 --max-seq-length 128 --stride 32 \
    --mixed-precision bf16 --early-stopping-patience 0 --save-total-limit 1
  echo "load after: $(uptime)" >&2
fi

# 4. CoNLL-2003: the JSONL text is the CoNLL tokens joined by spaces, so whitespace words are
#    exactly the CoNLL tokens.
if [[ "$only" == all || "$only" == conll ]]; then
  init "$out/bert-4x256-conll"
  echo "load before: $(uptime)" >&2
  run "$bin" train --model "$out/bert-4x256-conll" \
    --data-path "$data/conll2003/train.jsonl" --valid-split validation.jsonl \
    --pretokenizer whitespace --project-name "$out/conll" --epochs "${CONLL_EPOCHS:-1}" \
    --batch-size 32 --lr "$lr" --threads "$threads" --warmup-ratio 0.1 --weight-decay 0.01 --max-seq-length 128 \
    --mixed-precision bf16 --early-stopping-patience 0 --save-total-limit 1
  echo "load after: $(uptime)" >&2
fi

for d in tfh conll; do
  [[ -f "$out/$d/classification_report.txt" ]] || continue
  echo "== $d: $out/$d/classification_report.txt"
  cat "$out/$d/classification_report.txt"
  tail -n 1 "$out/$d/metrics.jsonl"
done
