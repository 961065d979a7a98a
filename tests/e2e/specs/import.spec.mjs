// Import a CSV of patent claims through the import screen: preview, automatic column mapping,
// per-row errors with their line numbers, and the records read back through the API.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifactsDir, createDatasetViaApi, loginUI, newPage, screenshot, step, withApp } from '../lib/harness.mjs';

const kClaims = [
  ['US-1', 'A gate stack comprising a high-κ dielectric layer of hafnium oxide (HfO 2 ) on a substrate.', 'apparatus'],
  ['US-2', 'The method of claim 1, wherein the layer is annealed at 450 °C for 30 µs ≤ t ≤ 60 µs.', 'method'],
  ['US-3', 'A sensor 😀 whose gain 𝛼 exceeds 0.5, the sensor being "weatherproof", and sealed.', 'apparatus'],
  ['US-4', 'A composition comprising:\r\na polymer; and\r\na 👩‍🔬 catalyst.', 'composition'],
];

function csvCell(s) {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

test('import a CSV of claims', async (t) => {
  await withApp('import', async ({ browser, url, api }) => {
    const { dataset } = await createDatasetViaApi(api, {
      name: 'claims',
      metadata: [{ name: 'claim_type', title: 'Claim type', settings: { type: 'terms' }, visible_for_annotators: true }],
    });
    const rows = [['patent_id', 'claim', 'claim_type'], ...kClaims, ['US-5', '', 'method'], ['US-6', 'ragged row']];
    const csv = rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
    const csvPath = join(artifactsDir('import'), 'claims.csv');
    writeFileSync(csvPath, csv);

    const page = await newPage(browser, url);
    await loginUI(page);
    await page.goto(`/#/datasets/${encodeURIComponent(dataset.id)}/import`);

    await step(t, 'preview and automatic mapping', async () => {
      await page.setInputFiles('input[type=file]', csvPath);
      await page.waitForSelector('[data-testid=import-preview]');
      assert.equal(await page.locator('[data-testid=import-preview] tbody tr').count(), 6);
      assert.match(await page.textContent('[data-testid=import-preview]'), /high-κ/);
      assert.equal(await page.inputValue('select[name=field-text]'), 'claim');
      assert.equal(await page.inputValue('select[name=external-id]'), 'patent_id');
      assert.equal(await page.inputValue('select[name=metadata-claim_type]'), 'claim_type');
      await page.waitForSelector('text=Row 6 has 2 cells, the header has 3');
      await screenshot(page, 'import', 'preview');
    });

    await step(t, 'import with per-row errors', async () => {
      await page.click('[data-testid=start-import]');
      await page.waitForSelector('text=Import finished', { timeout: 60000 });
      const summary = await page.textContent('[data-testid=import-summary]');
      assert.match(summary, /6 of 6 rows processed · 4 imported · 2 with errors/);
      const lines = await page.$$eval('[data-testid=import-errors] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
      // Header is line 1; US-4 spans three lines (2 embedded CRLFs), so US-5 starts on line 8.
      assert.deepEqual(lines, ['8', '9']);
      await screenshot(page, 'import', 'result');
    });

    await step(t, 'the records are stored exactly', async () => {
      const page1 = await api.get(`/datasets/${dataset.id}/records?limit=100`);
      assert.equal(page1.total, 4);
      const byId = Object.fromEntries(page1.items.map((r) => [r.external_id, r]));
      for (const [id, text, type] of kClaims) {
        assert.equal(byId[id].fields.text, text, id);
        assert.equal(byId[id].metadata.claim_type, type, id);
      }
    });

    await step(t, 'home shows the pending records', async () => {
      await page.goto('/#/');
      await page.waitForSelector('[data-testid=dataset-progress]');
      assert.match(await page.textContent('[data-testid=dataset-progress]'), /0 of 4 records completed · 4 pending/);
      assert.match(await page.textContent('[data-testid=my-counts]'), /4 to do/);
    });

    assert.deepEqual(page.spanloop.errors, []);
  });
});
