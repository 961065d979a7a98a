// Users and workspaces: the owner creates a second annotator, puts them in a workspace, resets a
// password and issues an API key; the annotator sees only their workspaces and no owner pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiClient, createDatasetViaApi, loginUI, newPage, screenshot, step, withApp } from '../lib/harness.mjs';

test('users, roles and workspaces', async (t) => {
  await withApp('users', async ({ browser, url, api }) => {
    const ws = await api.post('/workspaces', { name: 'patents' });
    const other = await api.post('/workspaces', { name: 'secret-project' });
    await createDatasetViaApi(api, { name: 'claims', workspace: ws });
    await createDatasetViaApi(api, { name: 'hidden-claims', workspace: other });
    const page = await newPage(browser, url);
    await loginUI(page);
    await page.goto('/#/users');
    await page.waitForSelector('[data-testid=users-table]');

    await step(t, 'create an annotator', async () => {
      await page.fill('input[name=new-username]', 'ann2');
      await page.fill('input[name=new-first-name]', 'Ann');
      await page.fill('input[name=new-last-name]', 'Second');
      await page.selectOption('select[name=new-role]', 'annotator');
      await page.fill('input[name=new-password]', 'first-password-1');
      await page.click('[data-testid=create-user]');
      await page.waitForSelector('[data-testid=user-row][data-username=ann2]');
      const users = (await api.get('/users')).items;
      assert.equal(users.find((u) => u.username === 'ann2').role, 'annotator');
    });

    await step(t, 'a bad username is refused before it is sent', async () => {
      await page.fill('input[name=new-username]', '-bad name');
      await page.fill('input[name=new-first-name]', 'X');
      await page.fill('input[name=new-password]', 'whatever-123');
      await page.click('[data-testid=create-user]');
      await page.waitForSelector('text=Username: letters, digits');
    });

    await step(t, 'add the annotator to one workspace', async () => {
      const row = page.locator('[data-testid=workspace-row][data-workspace=patents]');
      const ann2 = (await api.get('/users')).items.find((u) => u.username === 'ann2');
      await row.locator('select').selectOption(ann2.id);
      await row.locator('button', { hasText: 'Add' }).click();
      await row.locator('.chip', { hasText: 'ann2' }).waitFor();
      const members = (await api.get(`/workspaces/${ws.id}/users`)).items;
      assert.ok(members.some((m) => m.username === 'ann2'));
    });

    await step(t, 'reset the password', async () => {
      const row = page.locator('[data-testid=user-row][data-username=ann2]');
      await row.locator('button', { hasText: 'Reset password' }).click();
      await page.fill('input[name=reset-password]', 'second-password-2');
      await page.click('text="Set password"');
      await page.waitForSelector('text=Password of ann2 changed.');
    });

    await step(t, 'issue an API key that works', async () => {
      const row = page.locator('[data-testid=user-row][data-username=ann2]');
      await row.locator('button', { hasText: 'API key' }).click();
      await page.click('text=Issue key');
      const key = await page.inputValue('[data-testid=issued-api-key]');
      assert.ok(key.length > 10);
      const me = await apiClient(url, { apiKey: key }).get('/me');
      assert.equal(me.username, 'ann2');
      await screenshot(page, 'users', 'api-key-issued');
      await page.keyboard.press('Escape');
    });

    await step(t, 'the annotator sees their workspace only, and no owner pages', async () => {
      const annPage = await newPage(browser, url);
      await annPage.goto('/#/login');
      await annPage.fill('input[name=username]', 'ann2');
      await annPage.fill('input[name=password]', 'first-password-1');
      await annPage.click('button[type=submit]');
      await annPage.waitForSelector('[role=alert]'); // the old password no longer works
      await loginUI(annPage, 'ann2', 'second-password-2');
      await annPage.waitForSelector('[data-testid=workspace]');
      const text = await annPage.textContent('main');
      assert.match(text, /claims/);
      assert.doesNotMatch(text, /hidden-claims|secret-project/);
      assert.equal(await annPage.locator('text=New dataset').count(), 0);
      assert.equal(await annPage.locator('.topbar >> text=Users').count(), 0);
      await annPage.goto('/#/users');
      await annPage.waitForSelector('text=Your role cannot open this page.');
      await screenshot(annPage, 'users', 'annotator-home');
      assert.deepEqual(annPage.spanloop.errors, []);
    });

    await step(t, 'promote the annotator to admin', async () => {
      await page.reload();
      await page.waitForSelector('[data-testid=user-row][data-username=ann2]');
      await page.selectOption('select[aria-label="Role of ann2"]', 'admin');
      await page.waitForSelector('text=ann2 is now admin.');
      const users = (await api.get('/users')).items;
      assert.equal(users.find((u) => u.username === 'ann2').role, 'admin');
    });

    assert.deepEqual(page.spanloop.errors, []);
  });
});
