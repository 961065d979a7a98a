// The annotation view against the real `spanloop serve`: every spec of annotate/specs.mjs runs on a
// fresh dataset (seeded from annotate/fixtures.mjs through the API) and reads back what the server
// stored. Screenshots go to $SPANLOOP_E2E_ARTIFACTS/annotate.
import { test } from 'node:test';
import { join } from 'node:path';
import { artifactsDir, newPage, step, withApp } from '../lib/harness.mjs';
import { seed } from '../annotate/fixtures.mjs';
import { specs } from '../annotate/specs.mjs';

async function seedDataset(api, workspace, name, { overlap }) {
  const s = seed({ overlap });
  const dataset = await api.post('/datasets', { name, workspace_id: workspace.id, guidelines: s.guidelines });
  await api.post(`/datasets/${dataset.id}/fields`, { name: 'text', title: 'Text', required: true, settings: { type: 'text' } });
  const question = await api.post(`/datasets/${dataset.id}/questions`, {
    name: 'ner',
    title: 'Entities',
    required: true,
    settings: { type: 'span', field: 'text', options: s.labels, allow_overlapping: overlap },
  });
  await api.post(`/datasets/${dataset.id}/metadata-properties`, { name: 'cpc', title: 'CPC', settings: { type: 'terms' }, visible_for_annotators: true });
  await api.put(`/datasets/${dataset.id}/publish`);
  await api.put(`/datasets/${dataset.id}/records/bulk`, {
    items: s.records.map((r) => ({
      external_id: r.external_id,
      fields: { text: r.text },
      metadata: r.metadata,
      suggestions: r.suggestion ? [{ question_id: question.id, type: 'model', ...r.suggestion }] : [],
    })),
  });
  return dataset;
}

test('annotation view', async (t) => {
  await withApp('annotate', async ({ browser, url, api }) => {
    const workspace = (await api.get('/me/workspaces')).items[0] ?? (await api.post('/workspaces', { name: 'e2e' }));
    const users = {};
    for (const [username, password] of [['anna', 'anna-secret-1'], ['bob', 'bob-secret-12']]) {
      const u = await api.post('/users', { username, first_name: username, role: 'annotator', password });
      await api.post(`/workspaces/${workspace.id}/users`, { user_id: u.id });
      users[username] = u;
    }
    let n = 0;
    for (const [name, spec] of Object.entries(specs)) {
      await step(t, name, async () => {
        const dataset = await seedDataset(api, workspace, `claims-${++n}`, { overlap: name.includes('with overlap') });
        const backend = {
          base: url,
          datasetId: dataset.id,
          async responseOf(user, externalId) {
            const page = await api.get(`/datasets/${dataset.id}/records?include=responses&limit=100`);
            const rec = page.items.find((r) => r.external_id === externalId);
            const r = rec?.responses?.find((x) => x.user_id === users[user].id);
            return r ? { status: r.status, spans: r.values?.ner?.value ?? [] } : null;
          },
        };
        const page = await newPage(browser, url);
        const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50);
        const dir = artifactsDir('annotate');
        try {
          await spec({ page, backend, shot: (what) => page.screenshot({ path: join(dir, `${slug}--${what}.png`) }) });
          if (page.spanloop.errors.length) throw new Error(`page errors: ${page.spanloop.errors.join('; ')}`);
        } catch (e) {
          await page.screenshot({ path: join(dir, `${slug}--FAILED.png`) }).catch(() => {});
          throw e;
        } finally {
          await page.context().close();
        }
      });
    }
  });
});
