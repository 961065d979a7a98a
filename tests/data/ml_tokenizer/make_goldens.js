// Makes tokenizer goldens with the reference implementation: Hugging Face `tokenizers` (the
// Rust core, through its official Node binding, npm `tokenizers` 0.23.2 as pinned in
// package.json). Run `npm ci` in this folder first.
//
//   node make_goldens.js synthetic <out_dir>
//       tokenizers we write by hand (tiny vocabularies, every component the fixtures lack) and
//       texts we wrote ourselves: the output is committed (goldens/).
//   node make_goldens.js shared <shared_dir> <out_dir>
//       the fixture tokenizers, variants of them with other components, real patent claims
//       (data/claims/claims.csv) and CoNLL sentences: research-licensed data, so the test
//       generates this into the build directory and it is never committed.
//
// Truncation windows follow tokenizers 0.19 (what transformers 4.40 uses): encode without
// truncation, Encoding.truncate(max_length - specials, stride), post-process, pad.
'use strict';
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');

const OWN_TEXTS = require('./own_texts.json');

function record(enc) {
  return {
    ids: enc.getIds(),
    tokens: enc.getTokens(),
    offsets: enc.getOffsets(),
    word_ids: enc.getWordIds().map((w) => (w === undefined ? null : w)),
    special_tokens_mask: enc.getSpecialTokensMask(),
    type_ids: enc.getTypeIds(),
    attention_mask: enc.getAttentionMask(),
  };
}

async function addedCount(tok) {
  const e = await tok.encode('', null, { addSpecialTokens: true });
  return e.getLength();
}

// One tokenizer.json over many texts: plain encodings (with and without special tokens),
// decodes, and windows for long texts.
async function goldensFor(name, json, texts, out, options = {}) {
  const tok = Tokenizer.fromString(JSON.stringify(json));
  // Windows are made without the file's own truncation/padding (0.19 order done by hand).
  // `raw` stops before the post-processor, which then runs once on each window.
  const bare = Tokenizer.fromString(JSON.stringify({ ...json, truncation: null, padding: null }));
  const raw = Tokenizer.fromString(JSON.stringify({ ...json, truncation: null, padding: null, post_processor: null }));
  const added = await addedCount(bare);
  // Pre-tokenized input: transformers sets add_prefix_space=true on ByteLevel components.
  const wordsJson = withPrefixSpace(json);
  const wordsTok = Tokenizer.fromString(JSON.stringify(wordsJson));
  const wordsRaw = Tokenizer.fromString(JSON.stringify({ ...wordsJson, truncation: null, padding: null, post_processor: null }));
  for (const [i, text] of texts.entries()) {
    const enc = await tok.encode(text, null, { addSpecialTokens: true });
    const rec = { tokenizer: name, kind: 'encode', n: i, text, ...record(enc) };
    rec.decoded_skip = await tok.decode(enc.getIds(), true);
    rec.decoded_keep = await tok.decode(enc.getIds(), false);
    out.push(rec);
    if (options.noSpecials) {
      const e2 = await tok.encode(text, null, { addSpecialTokens: false });
      out.push({ tokenizer: name, kind: 'encode_no_special', n: i, text, ...record(e2) });
    }
    for (const [maxLength, stride] of options.windows || []) {
      const e3 = await raw.encode(text, null, { addSpecialTokens: false });
      if (e3.getLength() + added <= maxLength) continue;
      e3.truncate(maxLength - added, stride, 'right');
      const p = bare.postProcess(e3, null, true);
      const windows = [record(p), ...p.getOverflowing().map(record)];
      out.push({ tokenizer: name, kind: 'windows', n: i, text, max_length: maxLength, stride, windows });
    }
  }
  for (const [i, words] of (options.words || []).entries()) {
    // Pre-tokenized input as transformers does it: each word alone, merged, then post-processed.
    const encs = [];
    for (const w of words) encs.push(await wordsRaw.encode(w, null, { addSpecialTokens: false }));
    const { mergeEncodings } = require('tokenizers');
    const merged = mergeEncodings(encs, false);
    const p = wordsTok.postProcess(merged, null, true);
    const rec = record(p);
    // Word ids are the word index (the merged per-word encodings each say 0).
    let k = 0;
    const wordOf = [];
    encs.forEach((e, wi) => { for (let j = 0; j < e.getLength(); ++j) wordOf.push(wi); });
    rec.word_ids = rec.special_tokens_mask.map((m) => (m ? null : wordOf[k++]));
    out.push({ tokenizer: name, kind: 'words', n: i, words, ...rec });
  }
}

function withPrefixSpace(json) {
  const j = clone(json);
  let changed = false;
  const visit = (x, processors) => {
    if (Array.isArray(x)) { x.forEach((y) => visit(y, processors)); return; }
    if (!x || typeof x !== 'object') return;
    const hit = processors ? (x.type === 'RobertaProcessing' || x.type === 'ByteLevel') : x.type === 'ByteLevel';
    if (hit && x.add_prefix_space === false) { x.add_prefix_space = true; changed = true; }
    Object.values(x).forEach((y) => visit(y, processors));
  };
  visit(j.pre_tokenizer, false);
  if (changed) visit(j.post_processor, true);
  return j;
}

function readJson(p) { return JSON.parse(fs.readFileSync(p, 'utf8')); }

// Minimal RFC 4180 reader (quoted fields may hold commas, quotes and newlines).
function readCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function clone(x) { return JSON.parse(JSON.stringify(x)); }

// Variants of the fixture tokenizers with components the fixtures do not use.
function variants(fx) {
  const bert = readJson(path.join(fx, 'bert-uncased/model/tokenizer.json'));
  const cased = readJson(path.join(fx, 'bert-cased/model/tokenizer.json'));
  const roberta = readJson(path.join(fx, 'roberta/model/tokenizer.json'));
  const xlmr = readJson(path.join(fx, 'xlm-roberta/model/tokenizer.json'));
  const v = {};
  let t = clone(cased);
  t.normalizer = { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Lowercase' }] };
  t.pre_tokenizer = { type: 'Whitespace' };
  v['wp-nfkc-lowercase-whitespace'] = t;
  t = clone(cased);
  t.normalizer = { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'StripAccents' }, { type: 'Lowercase' },
    { type: 'Replace', pattern: { String: '-' }, content: ' - ' }] };
  t.pre_tokenizer = { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' },
    { type: 'Punctuation', behavior: 'Contiguous' }, { type: 'Digits', individual_digits: true }] };
  v['wp-nfd-strip-replace-punct-digits'] = t;
  t = clone(cased);
  t.normalizer = { type: 'Sequence', normalizers: [{ type: 'NFKD' }, { type: 'Strip', strip_left: true, strip_right: true },
    { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'NFC' }] };
  t.pre_tokenizer = { type: 'Sequence', pretokenizers: [
    { type: 'Split', pattern: { Regex: '\\s+|[,;]' }, behavior: 'MergedWithPrevious', invert: false },
    { type: 'Digits', individual_digits: false }] };
  v['wp-nfkd-strip-split-regex'] = t;
  t = clone(bert);
  t.pre_tokenizer = { type: 'Sequence', pretokenizers: [
    { type: 'Split', pattern: { String: ' ' }, behavior: 'Removed', invert: false },
    { type: 'Split', pattern: { String: '-' }, behavior: 'MergedWithNext', invert: false },
    { type: 'Punctuation', behavior: 'MergedWithPrevious' }] };
  t.added_tokens.push({ id: 3300, content: 'high-k', single_word: true, lstrip: false, rstrip: true, normalized: true, special: false });
  t.added_tokens.push({ id: 3301, content: 'µm', single_word: false, lstrip: true, rstrip: false, normalized: true, special: false });
  t.added_tokens.push({ id: 3302, content: 'CLAIM', single_word: false, lstrip: false, rstrip: false, normalized: false, special: false });
  v['wp-split-string-added-tokens'] = t;
  t = clone(bert);
  t.pre_tokenizer = { type: 'Split', pattern: { Regex: '\\w+|[^\\w\\s]+' }, behavior: 'Isolated', invert: true };
  t.post_processor = { type: 'BertProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101] };
  v['wp-split-invert-bertprocessing'] = t;
  t = clone(bert);
  t.normalizer = { type: 'Sequence', normalizers: [{ type: 'BertNormalizer', clean_text: true, handle_chinese_chars: false, strip_accents: true, lowercase: false }, { type: 'Prepend', prepend: '_' }] };
  t.post_processor.single = [{ SpecialToken: { id: '[CLS]', type_id: 1 } }, { Sequence: { id: 'A', type_id: 1 } },
    { SpecialToken: { id: '[SEP]', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }];
  v['wp-bertnorm-variant-prepend-template'] = t;
  t = clone(roberta);
  t.model.merges = t.model.merges.map((m) => m.join(' '));
  t.pre_tokenizer = { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true };
  t.post_processor = { type: 'Sequence', processors: [{ type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [], special_tokens: { '<s>': { id: '<s>', ids: [0], tokens: ['<s>'] }, '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] } } }] };
  v['bpe-string-merges-prefix-space-sequence-post'] = t;
  t = clone(roberta);
  t.pre_tokenizer = { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false }] };
  t.post_processor = { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: false, add_prefix_space: false };
  t.model.ignore_merges = true;
  v['bpe-no-regex-ignore-merges-no-trim'] = t;
  t = clone(xlmr);
  t.pre_tokenizer = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: false };
  t.decoder = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: false };
  v['unigram-metaspace-first-nosplit'] = t;
  t = clone(xlmr);
  t.pre_tokenizer = { type: 'Sequence', pretokenizers: [{ type: 'Punctuation', behavior: 'Isolated' }, { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'never', split: true }] };
  t.decoder = { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '\u2581' }, content: ' ' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }] };
  v['unigram-punct-metaspace-never-replace-decoder'] = t;
  t = clone(xlmr);
  for (let b = 0; b < 256; ++b) t.model.vocab.push(['<0x' + b.toString(16).toUpperCase().padStart(2, '0') + '>', -20.0]);
  t.model.byte_fallback = true;
  t.decoder = { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '\u2581' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }] };
  v['unigram-byte-fallback'] = t;
  return v;
}

async function shared(sharedDir, outDir) {
  const fx = path.join(sharedDir, 'fixtures');
  const out = [];
  const inputs = fs.readFileSync(path.join(fx, 'bert-cased/golden/inputs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).text);
  // Real claims: every 97th row of claims.csv (spread over the file), and CoNLL sentences.
  const rows = readCsv(fs.readFileSync(path.join(sharedDir, 'data/claims/claims.csv'), 'utf8'));
  const col = rows[0].indexOf('text');
  const claims = rows.slice(1).filter((r, i) => i % 97 === 0).map((r) => r[col]).filter(Boolean);
  const conllLines = fs.readFileSync(path.join(sharedDir, 'data/conll2003/validation.jsonl'), 'utf8').trim().split('\n');
  const conll = conllLines.filter((l, i) => i % 13 === 0).map((l) => JSON.parse(l).text);
  const words = conllLines.filter((l, i) => i % 41 === 0).slice(0, 60).map((l) => JSON.parse(l).text.split(' '));
  for (const name of ['bert-uncased', 'bert-cased', 'distilbert-uncased', 'roberta', 'xlm-roberta']) {
    const json = readJson(path.join(fx, name, 'model/tokenizer.json'));
    await goldensFor(name, json, [...inputs, ...claims, ...conll], out, { windows: [[128, 32], [512, 128]], words });
  }
  const texts = [...inputs, ...OWN_TEXTS.texts, ...claims.slice(0, 60)];
  for (const [name, json] of Object.entries(variants(fx))) {
    fs.mkdirSync(path.join(outDir, 'variants'), { recursive: true });
    fs.writeFileSync(path.join(outDir, 'variants', name + '.json'), JSON.stringify(json));
    await goldensFor('variant:' + name, json, texts, out, { noSpecials: true, windows: [[48, 8]], words: OWN_TEXTS.words });
  }
  fs.writeFileSync(path.join(outDir, 'shared_goldens.jsonl'), out.map((r) => JSON.stringify(r)).join('\n') + '\n');
  console.log(`wrote ${out.length} records to ${path.join(outDir, 'shared_goldens.jsonl')}`);
}

async function synthetic(outDir) {
  const out = [];
  for (const file of fs.readdirSync(path.join(__dirname, 'tokenizers')).sort()) {
    const json = readJson(path.join(__dirname, 'tokenizers', file));
    await goldensFor(file.replace(/\.json$/, ''), json, OWN_TEXTS.texts, out, { noSpecials: true, windows: [[12, 3], [16, 0]], words: OWN_TEXTS.words });
  }
  fs.writeFileSync(path.join(outDir, 'synthetic_goldens.jsonl'), out.map((r) => JSON.stringify(r)).join('\n') + '\n');
  console.log(`wrote ${out.length} records`);
}

(async () => {
  const [mode, a, b] = process.argv.slice(2);
  if (mode === 'shared') await shared(a, b);
  else if (mode === 'synthetic') await synthetic(a);
  else { console.error('usage: make_goldens.js synthetic <out_dir> | shared <shared_dir> <out_dir>'); process.exit(2); }
})().catch((e) => { console.error(e); process.exit(1); });
