// Reference throughput: Hugging Face tokenizers (Rust core, Node binding 0.23.2 from
// tests/data/ml_tokenizer/node_modules) on the same 2,000 claims as tokenizer_bench.
//   node bench/tokenizer/reference_bench.js ../shared
// "per call" awaits encode() one claim at a time (how a scripting language calls it);
// "batch" is one encodeBatch() of all claims (the Rust core's own speed; run it with
// RAYON_NUM_THREADS=1 for one thread). CPU time is reported too: the machine is shared.
'use strict';
const path = require('path');
const fs = require('fs');
const { Tokenizer } = require(path.join(__dirname, '../../tests/data/ml_tokenizer/node_modules/tokenizers'));

function readCsvTexts(file, limit) {
  const text = fs.readFileSync(file, 'utf8');
  const out = [];
  let row = [], field = '', quoted = false, header = null;
  for (let i = 0; i < text.length && out.length < limit; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') {
      row.push(field.replace(/\r$/, '')); field = '';
      if (!header) header = row; else out.push(row[header.indexOf('text')]);
      row = [];
    } else field += c;
  }
  return out;
}

(async () => {
  const shared = process.argv[2] || path.join(__dirname, '../../../shared');
  const claims = readCsvTexts(path.join(shared, 'data/claims/claims.csv'), 2000);
  for (const name of ['bert-uncased', 'bert-cased', 'roberta', 'xlm-roberta']) {
    const tok = Tokenizer.fromFile(path.join(shared, 'fixtures', name, 'model/tokenizer.json'));
    for (let warm = 0; warm < 2; ++warm) for (const t of claims.slice(0, 200)) await tok.encode(t);
    let best = { wall: Infinity, cpu: Infinity }, bestBatch = { wall: Infinity, cpu: Infinity }, tokens = 0;
    for (let rep = 0; rep < 3; ++rep) {
      let t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
      tokens = 0;
      for (const t of claims) tokens += (await tok.encode(t)).getLength();
      let c1 = process.cpuUsage(c0);
      best.wall = Math.min(best.wall, Number(process.hrtime.bigint() - t0) / 1e9);
      best.cpu = Math.min(best.cpu, (c1.user + c1.system) / 1e6);
      t0 = process.hrtime.bigint(); c0 = process.cpuUsage();
      await tok.encodeBatch(claims);
      c1 = process.cpuUsage(c0);
      bestBatch.wall = Math.min(bestBatch.wall, Number(process.hrtime.bigint() - t0) / 1e9);
      bestBatch.cpu = Math.min(bestBatch.cpu, (c1.user + c1.system) / 1e6);
    }
    const n = claims.length;
    console.log(`${name}: per call ${(n / best.wall).toFixed(0)} claims/s wall, ${(n / best.cpu).toFixed(0)} claims/s CPU; ` +
      `batch ${(n / bestBatch.wall).toFixed(0)} claims/s wall, ${(n / bestBatch.cpu).toFixed(0)} claims/s CPU; ${tokens} tokens`);
  }
})();
