// Export: the alignment/overlap report and the downloaded CoNLL file for annotated claims.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createDatasetViaApi, loginUI, newPage, screenshot, step, withApp } from '../lib/harness.mjs';

test('export with report and download', async (t) => {
  await withApp('export', async ({ browser, url, api }) => {
    const { dataset } = await createDatasetViaApi(api, { name: 'claims', allowOverlap: true });
    const text = 'A high-κ layer of HfO 2 on a substrate.';
    const created = await api.post(`/datasets/${dataset.id}/records/bulk`, {
      items: [
        { external_id: 'US-1', fields: { text } },
        { external_id: 'US-2', fields: { text: 'A method of heating.' } },
      ],
    });
    const [r1, r2] = created.items;
    // "high-κ layer" Component, "HfO 2" Material, "substrat" inside "substrate" (misaligned).
    await api.post(`/records/${r1.id}/responses`, {
      status: 'submitted',
      values: {
        spans: {
          value: [
            { label: 'Component', start: 2, end: 14 },
            { label: 'Material', start: 18, end: 23 },
            { label: 'Material', start: 29, end: 37 },
            { label: 'Property', start: 2, end: 8 },
          ],
        },
      },
    });
    await api.post(`/records/${r2.id}/responses`, { status: 'submitted', values: { spans: { value: [{ label: 'Process', start: 2, end: 19 }] } } });

    const page = await newPage(browser, url);
    await loginUI(page);
    await page.goto(`/#/datasets/${encodeURIComponent(dataset.id)}/export`);
    await page.waitForSelector('select[name=format]');

    await step(t, 'the report names alignment and overlap outcomes', async () => {
      await page.selectOption('select[name=overlap]', 'layers');
      await page.click('[data-testid=export-report]');
      await page.waitForSelector('[data-testid=export-report-view]');
      const report = await page.textContent('[data-testid=export-report-view]');
      assert.match(report, /expanded/);
      assert.match(report, /overlap/i);
      await screenshot(page, 'export', 'report');
    });

    await step(t, 'download a CoNLL file', async () => {
      await page.selectOption('select[name=overlap]', 'longest');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-download]')]);
      assert.equal(download.suggestedFilename(), 'claims.conll');
      const body = readFileSync(await download.path(), 'utf8');
      assert.match(body, /HfO\s+B-Material/);
      assert.match(body, /heating\s+I-Process/);
    });

    await step(t, 'a failing export is shown, not swallowed', async () => {
      // US-1 has nested spans ("high-κ" inside "high-κ layer"): overlap=error must fail, naming it.
      await page.selectOption('select[name=overlap]', 'error');
      let downloaded = false;
      page.once('download', () => (downloaded = true));
      await page.click('[data-testid=export-download]');
      await page.waitForSelector('[role=alert]');
      const alert = await page.textContent('[role=alert]');
      assert.match(alert, /record 'US-1'/);
      assert.match(alert, /overlap policy error/);
      // The report fails the same way.
      const [report] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/export?') && r.url().includes('report=1')),
        page.click('[data-testid=export-report]'),
      ]);
      assert.equal(report.status(), 422);
      await page.waitForSelector('[role=alert]');
      assert.match(await page.textContent('[role=alert]'), /record 'US-1'/);
      assert.equal(downloaded, false);
      await screenshot(page, 'export', 'error');
    });

    assert.deepEqual(page.spanloop.errors, []);
  });
});
