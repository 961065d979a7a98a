// Login, logout, a wrong password, a reload that keeps the session, and session expiry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loginUI, newPage, OWNER_PASSWORD, OWNER_USERNAME, screenshot, step, withApp } from '../lib/harness.mjs';

test('login, logout and session expiry', async (t) => {
  await withApp('auth', async ({ browser, url }) => {
    const page = await newPage(browser, url);

    await step(t, 'an unauthenticated visit goes to the login form', async () => {
      await page.goto('/#/users');
      await page.waitForSelector('form[aria-label="Sign in"]');
      assert.match(page.url(), /#\/login\?next=%2Fusers/);
    });

    await step(t, 'a wrong password is shown and keeps the form', async () => {
      await page.fill('input[name=username]', OWNER_USERNAME);
      await page.fill('input[name=password]', 'not-the-password');
      await page.click('button[type=submit]');
      const alert = await page.waitForSelector('[role=alert]');
      assert.ok((await alert.textContent()).length > 0);
      assert.match(page.url(), /#\/login/);
    });

    await step(t, 'the right password signs in and returns to the page asked for', async () => {
      await page.fill('input[name=password]', OWNER_PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForSelector('[data-testid=users-table]');
      assert.match(page.url(), /#\/users$/);
      assert.match(await page.textContent('[data-testid=current-user]'), /owner/);
      await screenshot(page, 'auth', 'users-after-login');
    });

    await step(t, 'a reload keeps the session', async () => {
      await page.reload();
      await page.waitForSelector('[data-testid=current-user]');
    });

    await step(t, 'sign out returns to the login form and forgets the token', async () => {
      await page.click('[data-testid=logout]');
      await page.waitForSelector('form[aria-label="Sign in"]');
      assert.equal(await page.evaluate(() => localStorage.getItem('spanloop.session')), null);
      await page.goto('/#/');
      await page.waitForSelector('form[aria-label="Sign in"]');
    });

    await step(t, 'a token the server refuses ends the session with a notice', async () => {
      await loginUI(page);
      await page.evaluate(() => {
        const s = JSON.parse(localStorage.getItem('spanloop.session'));
        s.token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.invalid';
        localStorage.setItem('spanloop.session', JSON.stringify(s));
      });
      await page.goto('/#/users');
      await page.reload();
      await page.waitForSelector('form[aria-label="Sign in"]');
      await loginUI(page);
      // A token that expires while the app is open sends the user to login with a notice.
      await page.evaluate(() => {
        const s = JSON.parse(localStorage.getItem('spanloop.session'));
        const payload = btoa(JSON.stringify({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 2 })).replace(/=+$/, '');
        s.token = `eyJhbGciOiJIUzI1NiJ9.${payload}.sig`;
        s.expiresAt = Date.now() + 2000;
        localStorage.setItem('spanloop.session', JSON.stringify(s));
      });
      await page.reload();
      await page.waitForSelector('text=Your session ended', { timeout: 15000 });
      await screenshot(page, 'auth', 'session-expired');
    });

    assert.deepEqual(page.spanloop.errors, []);
  });
});
