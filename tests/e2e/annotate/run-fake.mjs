// Runs the annotation specs in headless Chromium against the API test double (fake-api.mjs).
//   node tests/e2e/annotate/run-fake.mjs [name-substring]     (after `npm run build` in web/)
// Screenshots go to $SPANLOOP_E2E_ARTIFACTS (default build/e2e-artifacts/annotate).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { seed } from './fixtures.mjs';
import { specs } from './specs.mjs';

// Exit 77 (CTest "skipped") when a prerequisite is missing, saying which.
const skip = (why) => { console.log(`SKIP: ${why}`); process.exit(77); };
if (!existsSync('web/dist/index.html')) skip('web/dist is not built (cd web && npm run build)');
const chromiumPath = process.env.SPANLOOP_CHROMIUM ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath)) skip(`no browser at ${chromiumPath}`);
const { chromium } = await import('playwright-core').catch(() => skip('playwright-core is not installed (npm ci in tests/e2e)'));
const artifacts = join(process.env.SPANLOOP_E2E_ARTIFACTS ?? 'build/e2e-artifacts', 'annotate-double');
mkdirSync(artifacts, { recursive: true });
const only = process.argv[2];

async function fakeBackend(overlap) {
  const seedFile = join(artifacts, `seed-${overlap ? 'overlap' : 'plain'}.json`);
  writeFileSync(seedFile, JSON.stringify(seed({ overlap })));
  const proc = spawn(process.execPath, ['tests/e2e/annotate/fake-api.mjs', '--dist', 'web/dist', '--seed', seedFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((ok, bad) => {
    proc.stdout.on('data', (d) => { const m = /listening (\d+)/.exec(String(d)); if (m) ok(m[1]); });
    proc.on('exit', (c) => bad(new Error(`fake API exited ${c}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const ids = new Map(seed({ overlap }).records.map((r, i) => [r.external_id, `rec-${String(i).padStart(4, '0')}`]));
  const users = { anna: 'u1', bob: 'u2' };
  return {
    base,
    datasetId: 'ds1',
    async responseOf(user, externalId) {
      const all = (await (await fetch(`${base}/__fake/responses`)).json()).items;
      const r = all.find((x) => x.user_id === users[user] && x.record_id === ids.get(externalId));
      return r ? { status: r.status, spans: r.values?.ner?.value ?? [] } : null;
    },
    close: () => proc.kill(),
  };
}

const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
let passed = 0;
let failed = 0;
let skipped = 0;
for (const [name, spec] of Object.entries(specs)) {
  if (only && !name.includes(only)) continue;
  const backend = await fakeBackend(name.includes('with overlap'));
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50);
  const ctx = { page, backend, shot: (what) => page.screenshot({ path: join(artifacts, `${slug}--${what}.png`) }) };
  const t0 = Date.now();
  try {
    const r = await spec(ctx);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    if (typeof r === 'string' && r.startsWith('skipped')) {
      skipped++;
      console.log(`SKIP ${name} (${r})`);
    } else {
      passed++;
      console.log(`PASS ${name} (${Date.now() - t0} ms)`);
    }
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n  ${String(e.stack ?? e).split('\n').slice(0, 6).join('\n  ')}`);
    await page.screenshot({ path: join(artifacts, `${slug}--FAILED.png`) }).catch(() => {});
  }
  await context.close();
  backend.close();
}
await browser.close();
console.log(`annotate e2e (API test double): ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
