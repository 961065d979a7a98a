// Create a dataset with the patent labels through the settings screen, then edit it; every
// step is read back through the API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loginUI, newPage, screenshot, step, withApp } from '../lib/harness.mjs';

const kLabels = ['Component', 'Material', 'Value', 'Process', 'Property'];

test('dataset creation and settings', async (t) => {
  await withApp('dataset', async ({ browser, url, api }) => {
    const page = await newPage(browser, url);
    await loginUI(page);
    let datasetId;

    await step(t, 'create a dataset with the patent labels', async () => {
      await page.click('text=New dataset');
      await page.waitForSelector('form[aria-label="Dataset settings"]');
      await page.fill('input[aria-label="New workspace name"]', 'patents');
      await page.click('text=Create workspace');
      await page.waitForFunction(() => document.querySelector('select[name=workspace]')?.selectedOptions[0]?.textContent === 'patents');
      await page.fill('input[name=name]', 'claims');
      await page.fill('textarea[name=guidelines]', '# Patent claims\n\nMark **materials** like `HfO2`.\n\n- one\n- two');
      await page.waitForSelector('[data-testid=guidelines-preview] strong');
      await page.fill('textarea[name=new-labels]', kLabels.join('\n'));
      await page.click('text=Add labels');
      assert.equal(await page.locator('[data-testid=label-row]').count(), 5);
      await page.fill('input[aria-label="Display text of Value"]', 'Value (number + unit)');
      await page.fill('input[aria-label="Description of Material"]', 'what a component is made of');
      await page.fill('input[aria-label="Colour of Component"]', '#123456');
      await page.click('button[aria-label="Move Property up"]');
      await page.click('text=Add metadata property');
      const meta = page.locator('[data-testid=metadata-row]').first();
      await meta.locator('input').nth(0).fill('claim_type');
      await meta.locator('input').nth(1).fill('Claim type');
      await screenshot(page, 'dataset', 'new-dataset-form');
      await page.click('[data-testid=save-settings]');
      await page.waitForURL(/#\/datasets\/[^/]+\/import$/);
      datasetId = decodeURIComponent(page.url().match(/#\/datasets\/([^/]+)\/import/)[1]);
    });

    await step(t, 'the API has what the form said', async () => {
      const dataset = await api.get(`/datasets/${datasetId}`);
      assert.equal(dataset.name, 'claims');
      assert.equal(dataset.status, 'ready');
      assert.match(dataset.guidelines, /Mark \*\*materials\*\*/);
      const colors = dataset.metadata['spanloop.label_colors'];
      assert.equal(colors.Component, '#123456');
      assert.deepEqual(Object.keys(colors).sort(), [...kLabels].sort());
      const questions = (await api.get(`/datasets/${datasetId}/questions`)).items;
      assert.equal(questions.length, 1);
      const s = questions[0].settings;
      assert.equal(s.type, 'span');
      assert.equal(s.field, 'text');
      assert.equal(s.allow_overlapping, false);
      assert.deepEqual(s.options.map((o) => o.value), ['Component', 'Material', 'Value', 'Property', 'Process']);
      assert.equal(s.options[2].text, 'Value (number + unit)');
      assert.equal(s.options[1].description, 'what a component is made of');
      const fields = (await api.get(`/datasets/${datasetId}/fields`)).items;
      assert.deepEqual(fields.map((f) => f.name), ['text']);
      const metadata = (await api.get(`/datasets/${datasetId}/metadata-properties`)).items;
      assert.deepEqual(metadata.map((m) => [m.name, m.title, m.settings.type]), [['claim_type', 'Claim type', 'terms']]);
    });

    await step(t, 'settings edit label text, order, colour and overlap', async () => {
      await page.goto(`/#/datasets/${encodeURIComponent(datasetId)}/settings`);
      await page.waitForSelector('text=This dataset is published');
      assert.ok(await page.locator('input[aria-label="Value of label 1"]').isDisabled());
      await page.fill('input[aria-label="Display text of Component"]', 'Component (part)');
      await page.click('button[aria-label="Move Process up"]');
      await page.fill('input[aria-label="Colour of Material"]', '#abcdef');
      await page.check('input[name=allow-overlapping]');
      await page.fill('input[name=min_submitted]', '2');
      await page.click('[data-testid=save-settings]');
      await page.waitForSelector('text=Settings saved.');
      const q = (await api.get(`/datasets/${datasetId}/questions`)).items[0];
      assert.deepEqual(q.settings.options.map((o) => o.value), ['Component', 'Material', 'Value', 'Process', 'Property']);
      assert.equal(q.settings.options[0].text, 'Component (part)');
      assert.equal(q.settings.allow_overlapping, true);
      const dataset = await api.get(`/datasets/${datasetId}`);
      assert.equal(dataset.metadata['spanloop.label_colors'].Material, '#abcdef');
      assert.equal(dataset.distribution.min_submitted, 2);
      // Overlap cannot be switched off again.
      await page.waitForSelector('input[name=allow-overlapping]:disabled');
      await screenshot(page, 'dataset', 'settings-after-save');
    });

    await step(t, 'the new dataset is on the home page', async () => {
      await page.goto('/#/');
      const card = page.locator('[data-testid=dataset-card]', { hasText: 'claims' });
      await card.waitFor();
      await screenshot(page, 'dataset', 'home');
    });

    assert.deepEqual(page.spanloop.errors, []);
  });
});
