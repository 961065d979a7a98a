// XSS probe: untrusted text in every place the screens render it (names, titles, labels,
// descriptions, guidelines, metadata, users, import previews and errors, export reports) must
// stay text. A probe that runs sets window.__xss or opens a dialog; both are checked.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifactsDir, loginUI, newPage, screenshot, step, withApp } from '../lib/harness.mjs';

const P = `<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>"><svg onload="window.__xss=3">`;
const PLAIN = 'img-probe'; // for names with a restricted alphabet

async function assertInert(page, where) {
  const state = await page.evaluate(() => ({
    xss: window.__xss ?? null,
    imgs: document.querySelectorAll('img[src="x"]').length,
    svgs: [...document.querySelectorAll('svg')].filter((s) => s.hasAttribute('onload')).length,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('__xss')).length,
  }));
  assert.deepEqual(state, { xss: null, imgs: 0, svgs: 0, scripts: 0 }, `probe ran on ${where}`);
  assert.deepEqual(page.spanloop.dialogs, [], `a dialog opened on ${where}`);
}

test('untrusted text never becomes HTML', async (t) => {
  await withApp('xss', async ({ browser, url, api }) => {
    // Everything an owner or an import can put into the store, with the probe in it.
    // Workspace and dataset names only take [A-Za-z0-9_- ], so the probe goes everywhere else.
    const ws = await api.post('/workspaces', { name: 'ws-probe' });
    const dataset = await api.post('/datasets', {
      name: 'claims-probe',
      workspace_id: ws.id,
      guidelines: `# Guide ${P}\n\n${P}\n\n**${P}** [link ${P}](javascript:alert(4)) [ok](https://example.com)\n\n- ${P}`,
      metadata: { 'spanloop.label_colors': { Component: `red;background:url(javascript:alert(5))` } },
    });
    await api.post(`/datasets/${dataset.id}/fields`, { name: 'text', title: `Text ${P}`, required: true, settings: { type: 'text' } });
    await api.post(`/datasets/${dataset.id}/questions`, {
      name: 'spans',
      title: `Spans ${P}`,
      description: `desc ${P}`,
      required: true,
      settings: {
        type: 'span',
        field: 'text',
        options: [
          { value: 'Component', text: `Component ${P}`, description: `d ${P}` },
          { value: `${PLAIN}`, text: `label ${P}` },
        ],
        allow_overlapping: false,
      },
    });
    await api.post(`/datasets/${dataset.id}/metadata-properties`, {
      name: 'claim_type',
      title: `Claim type ${P}`,
      settings: { type: 'terms', values: [`v ${P}`.slice(0, 200)] },
      visible_for_annotators: true,
    });
    await api.put(`/datasets/${dataset.id}/publish`);
    await api.post('/users', { username: PLAIN, first_name: `First ${P}`, last_name: `Last ${P}`, role: 'annotator', password: 'probe-password-1' });

    const page = await newPage(browser, url);
    await page.addInitScript(() => {
      window.__xss = undefined;
    });
    await loginUI(page);
    const id = encodeURIComponent(dataset.id);

    await step(t, 'home', async () => {
      await page.goto('/#/');
      await page.locator('[data-testid=dataset-card]').first().waitFor();
      await assertInert(page, 'home');
      await screenshot(page, 'xss', 'home');
    });

    await step(t, 'settings (labels, descriptions, guidelines preview, metadata)', async () => {
      await page.goto(`/#/datasets/${id}/settings`);
      await page.waitForSelector('[data-testid=guidelines-preview]');
      // The markdown is rendered (heading, bold, list) and the probe inside it is plain text,
      // character for character: the underscores of window.__xss are not emphasis.
      const preview = page.locator('[data-testid=guidelines-preview]');
      const text = await preview.textContent();
      assert.ok(text.includes(P), `preview shows the probe as text: ${text}`);
      assert.equal(await preview.locator('h3').first().textContent(), `Guide ${P}`);
      assert.equal(await preview.locator('strong').first().textContent(), P);
      assert.equal(await preview.locator('li').first().textContent(), P);
      assert.equal(await preview.locator('img, script, svg, iframe, [onerror], [onload]').count(), 0);
      const hrefs = await page.$$eval('[data-testid=guidelines-preview] a', (as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(hrefs, ['https://example.com']);
      assert.equal(await page.inputValue('input[aria-label="Display text of Component"]'), `Component ${P}`);
      await assertInert(page, 'settings');
      await screenshot(page, 'xss', 'settings');
    });

    await step(t, 'users and workspaces', async () => {
      await page.goto('/#/users');
      await page.waitForSelector(`[data-testid=user-row][data-username=${PLAIN}]`);
      assert.match(await page.textContent('[data-testid=users-table]'), /First <img/);
      await assertInert(page, 'users');
    });

    await step(t, 'import preview of a CSV with the probe', async () => {
      const csvPath = join(artifactsDir('xss'), 'probe.csv');
      const cell = P.replace(/"/g, '""');
      writeFileSync(csvPath, `external_id,text,claim_type\n"id ${cell}","claim ${cell}","v ${cell}"\n2,,x\n`);
      await page.goto(`/#/datasets/${id}/import`);
      await page.setInputFiles('input[type=file]', csvPath);
      await page.waitForSelector('[data-testid=import-preview]');
      assert.match(await page.textContent('[data-testid=import-preview]'), /claim <img src=x/);
      await assertInert(page, 'import preview');
      await page.click('[data-testid=start-import]');
      await page.waitForSelector('[data-testid=import-summary]', { timeout: 30000 });
      await page.waitForFunction(() => !document.body.textContent.includes('Importing…'), null, { timeout: 30000 });
      await assertInert(page, 'import result');
      await screenshot(page, 'xss', 'import');
    });

    await step(t, 'export report', async () => {
      await page.goto(`/#/datasets/${id}/export`);
      await page.selectOption('select[name=status]', 'all');
      await page.click('[data-testid=export-report]');
      await page.waitForSelector('[data-testid=export-report-view], [role=alert]');
      await assertInert(page, 'export');
    });

    assert.deepEqual(page.spanloop.errors, []);
  });
});
