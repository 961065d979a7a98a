// A test double of the spanloop REST API (only the routes the annotation view calls), serving the
// built UI from web/dist. It lets the annotation specs and the render benchmark run before, or without,
// the real `spanloop serve`; the real-server specs are in annotate.spec.mjs. In-memory, loopback only.
//
//   node tests/e2e/annotate/fake-api.mjs --port 0 --dist web/dist --seed seed.json   (prints "listening PORT")
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, extname, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const dist = resolve(args.dist ?? 'web/dist');
const seed = JSON.parse(readFileSync(args.seed, 'utf8'));

const users = seed.users; // [{id, username, password, role}]
const dataset = { id: 'ds1', name: seed.name ?? 'claims', guidelines: seed.guidelines ?? '', status: 'ready', workspace_id: 'ws1', distribution: { strategy: 'overlap', min_submitted: 1 } };
const question = { id: 'q1', name: 'ner', title: 'Entities', required: true, settings: { type: 'span', field: 'text', options: seed.labels, visible_options: seed.labels.length, allow_overlapping: !!seed.allow_overlapping, allow_character_annotation: true } };
const fields = [{ id: 'f1', name: 'text', title: 'Text', required: true, settings: { type: 'text', use_markdown: false } }];
const metadataProps = seed.metadata ?? [];
const records = seed.records.map((r, i) => ({ id: r.id ?? `rec-${String(i).padStart(4, '0')}`, status: 'pending', fields: { text: r.text }, metadata: r.metadata ?? {}, external_id: r.external_id ?? `ext-${i}`, suggestions: r.suggestion ? [{ id: `s${i}`, question_id: 'q1', type: 'model', ...r.suggestion }] : [], seq: i }));
const responses = []; // {id, record_id, user_id, status, values}
seed.records.forEach((r, i) => (r.responses ?? []).forEach((x) => responses.push({ id: randomUUID(), record_id: records[i].id, ...x })));

const cpLen = (s) => Array.from(s).length;
const send = (res, status, body) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
};
const err = (res, status, message) => send(res, status, { detail: { code: status === 422 ? 'invalid_argument' : 'error', message } });
const readBody = (req) => new Promise((ok) => { let b = ''; req.on('data', (c) => (b += c)); req.on('end', () => ok(b)); });
const userOf = (req) => { const m = /^Bearer tok-(.+)$/.exec(req.headers.authorization ?? ''); return m ? users.find((u) => u.username === m[1]) : null; };
const mineOf = (rec, user) => responses.filter((r) => r.record_id === rec.id && r.user_id === user.id);
const view = (rec, user) => { const { seq, ...r } = rec; return { ...r, responses: mineOf(rec, user) }; };
const recompute = (rec) => { rec.status = responses.some((r) => r.record_id === rec.id && r.status === 'submitted') ? 'completed' : 'pending'; };

function validate(values) {
  const v = values?.ner?.value;
  if (v === undefined) return null;
  if (!Array.isArray(v)) return 'ner: value must be a list';
  return (rec) => {
    const len = cpLen(rec.fields.text);
    for (const [i, s] of v.entries()) {
      if (!question.settings.options.some((o) => o.value === s.label)) return `span ${i}: unknown label ${s.label}`;
      if (!(s.start >= 0 && s.end > s.start && s.end <= len)) return `span ${i}: bad offsets ${s.start}..${s.end} (text has ${len} code points)`;
      if (!question.settings.allow_overlapping)
        for (const [j, t] of v.entries()) if (j > i && s.start < t.end && t.start < s.end) return `span ${i} overlaps span ${j}`;
    }
    return null;
  };
}

function matches(rec, user, and) {
  for (const f of and) {
    const sc = f.scope;
    if (sc.entity === 'response' && sc.property === 'status') {
      const mine = mineOf(rec, user)[0];
      if (!f.values.includes(mine ? mine.status : 'pending')) return false;
    } else if (sc.entity === 'record' && sc.property === 'status') {
      if (!f.values.includes(rec.status)) return false;
    } else if (sc.entity === 'metadata') {
      const v = rec.metadata[sc.metadata_property];
      if (f.type === 'terms' && !f.values.includes(v)) return false;
      if (f.type === 'range' && ((f.ge !== undefined && !(v >= f.ge)) || (f.le !== undefined && !(v <= f.le)))) return false;
    } else if (sc.entity === 'suggestion') {
      const s = rec.suggestions[0];
      if (!s) return false;
      if (sc.property === 'agent' && !f.values.includes(s.agent)) return false;
      if (sc.property === 'score') { const scores = [].concat(s.score ?? []); if (!scores.some((x) => (f.ge === undefined || x >= f.ge) && (f.le === undefined || x <= f.le))) return false; }
      if (sc.property === 'value' && !s.value.some((x) => f.values.includes(x.label))) return false;
    } else if (sc.entity === 'response' && sc.question) {
      const mine = mineOf(rec, user)[0];
      if (!(mine?.values?.ner?.value ?? []).some((x) => f.values.includes(x.label))) return false;
    }
  }
  return true;
}

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  if (!p.startsWith('/api/') && !p.startsWith('/__fake/')) {
    let file = join(dist, p === '/' ? 'index.html' : p);
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    return res.end(readFileSync(file));
  }
  if (p === '/__fake/responses') return send(res, 200, { items: responses });
  const body = await readBody(req);
  if (p === '/api/v1/token' && req.method === 'POST') {
    const f = new URLSearchParams(body);
    const u = users.find((x) => x.username === f.get('username') && x.password === f.get('password'));
    return u ? send(res, 201, { access_token: `tok-${u.username}`, token_type: 'bearer' }) : err(res, 401, 'Wrong username or password');
  }
  const user = userOf(req);
  if (!user) return err(res, 401, 'Not authenticated');
  const json = body ? JSON.parse(body) : {};
  let m;
  if (p === '/api/v1/me') return send(res, 200, { id: user.id, username: user.username, first_name: user.username, role: user.role });
  if (p === '/api/v1/me/datasets') return send(res, 200, { items: [dataset] });
  if (p === '/api/v1/me/workspaces') return send(res, 200, { items: [{ id: 'ws1', name: 'patents' }] });
  if (p === `/api/v1/datasets/${dataset.id}`) return send(res, 200, dataset);
  if (p === `/api/v1/datasets/${dataset.id}/fields`) return send(res, 200, { items: fields });
  if (p === `/api/v1/datasets/${dataset.id}/questions`) return send(res, 200, { items: [question] });
  if (p === `/api/v1/me/datasets/${dataset.id}/metadata-properties`) return send(res, 200, { items: metadataProps });
  if (p === `/api/v1/datasets/${dataset.id}/records/search/suggestions/options`)
    return send(res, 200, { items: [{ question: { id: 'q1', name: 'ner' }, agents: [...new Set(records.flatMap((r) => r.suggestions.map((s) => s.agent)).filter(Boolean))] }] });
  if (p === `/api/v1/me/datasets/${dataset.id}/metrics`) {
    const mine = responses.filter((r) => r.user_id === user.id);
    const c = (s) => mine.filter((r) => r.status === s).length;
    return send(res, 200, { responses: { total: records.length, submitted: c('submitted'), draft: c('draft'), discarded: c('discarded'), pending: records.filter((r) => !mineOf(r, user).length).length } });
  }
  if (p === `/api/v1/me/datasets/${dataset.id}/records/search` && req.method === 'POST') {
    let hits = records.filter((r) => matches(r, user, json.filters?.and ?? []));
    const q = json.query?.text?.q;
    if (q) { const words = q.toLowerCase().split(/\s+/).filter(Boolean); hits = hits.filter((r) => words.every((w) => r.fields.text.toLowerCase().includes(w))); }
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    return send(res, 200, { items: hits.slice(offset, offset + limit).map((r) => ({ record: view(r, user), query_score: 1 })), total: hits.length });
  }
  if ((m = /^\/api\/v1\/records\/([^/]+)$/.exec(p))) {
    const rec = records.find((r) => r.id === m[1]);
    return rec ? send(res, 200, view(rec, user)) : err(res, 404, 'no record');
  }
  const save = async (rec, existing) => {
    const check = validate(json.values);
    const problem = typeof check === 'function' ? check(rec) : check;
    if (problem) return err(res, 422, problem);
    if (json.status === 'submitted' && !json.values) return err(res, 422, 'values required');
    const r = existing ?? { id: randomUUID(), record_id: rec.id, user_id: user.id };
    Object.assign(r, { status: json.status, values: json.values ?? r.values ?? {} });
    if (!existing) responses.push(r);
    recompute(rec);
    return send(res, existing ? 200 : 201, r);
  };
  if ((m = /^\/api\/v1\/records\/([^/]+)\/responses$/.exec(p)) && req.method === 'POST') {
    const rec = records.find((r) => r.id === m[1]);
    if (!rec) return err(res, 404, 'no record');
    if (mineOf(rec, user).length) return err(res, 409, 'response exists');
    return save(rec, null);
  }
  if ((m = /^\/api\/v1\/responses\/([^/]+)$/.exec(p)) && req.method === 'PUT') {
    const r = responses.find((x) => x.id === m[1] && x.user_id === user.id);
    if (!r) return err(res, 404, 'no response');
    return save(records.find((x) => x.id === r.record_id), r);
  }
  return err(res, 404, `fake API has no ${req.method} ${p}`);
});

server.listen(Number(args.port ?? 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
