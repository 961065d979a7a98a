// Dev helper: start the fake API with the fixtures, open the annotation view, screenshot.
import { spawn } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { seed } from './fixtures.mjs';

mkdirSync('/tmp/ann', { recursive: true });
writeFileSync('/tmp/ann/seed.json', JSON.stringify(seed({ overlap: process.argv.includes('--overlap') })));
const srv = spawn('node', ['tests/e2e/annotate/fake-api.mjs', '--dist', 'web/dist', '--seed', '/tmp/ann/seed.json'], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((ok) => srv.stdout.on('data', (d) => { const m = /listening (\d+)/.exec(String(d)); if (m) ok(m[1]); }));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on('console', (m) => console.log('console:', m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
const base = `http://127.0.0.1:${port}`;
await page.goto(`${base}/#/login`);
await page.fill('input[name=username], input#username, input[autocomplete=username]', 'anna');
await page.fill('input[type=password]', 'anna-secret-1');
await page.keyboard.press('Enter');
await page.waitForTimeout(800);
await page.goto(`${base}/#/datasets/ds1/annotate`);
await page.waitForSelector('[data-testid=record-text]');
await page.waitForTimeout(500);
await page.screenshot({ path: '/tmp/ann/smoke.png' });
await browser.close();
srv.kill();
