#!/bin/bash
# Inference benchmarks for docs/BENCHMARKS.md (bash bench/infer/run_benchmarks.sh from the
# repository root, ../shared present) after building
# infer_bench and make_bench_model.
set -e
B=build/release/bench/infer
TOK=../shared/fixtures/distilbert-uncased/model
M=/tmp/infer_models
mkdir -p $M
[ -d $M/base ] || $B/make_bench_model $M/base $TOK distilbert 6 768 12 3072 30522
[ -d $M/small ] || $B/make_bench_model $M/small $TOK distilbert 2 256 4 1024 3000
for model in ${MODELS:-base small}; do
  for dtype in fp32 bf16; do
    echo "== $model $dtype"
    $B/infer_bench --model $M/$model --dtype $dtype --threads 2 --mode sequential --short-words 22 --claims ${NSHORT:-80} --repeats 2
    $B/infer_bench --model $M/$model --dtype $dtype --threads 2 --mode throughput --short-words 22 --claims ${NSHORT:-80} --batch-size 32 --repeats 2
    $B/infer_bench --model $M/$model --dtype $dtype --threads 2 --mode throughput --claims ${NCLAIMS:-200} --batch-size 16 --repeats 2
    $B/infer_bench --model $M/$model --dtype $dtype --threads 2 --mode latency --claims ${NLAT:-100} --repeats 1
  done
done
