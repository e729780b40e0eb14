// The canary made visible: Debian's Chromium (driven by playwright-core, no browser download)
// loads the frontend page while backends v1 and v2 both serve, and must show both versions.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Service } from '@meshproof-app/shared/service';
import { chromium } from 'playwright-core';
import { createBackend } from '../../backend/src/app.ts';
import { readBackendConfig } from '../../backend/src/config.ts';
import { createFrontend } from '../src/app.ts';
import { readFrontendConfig } from '../src/config.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing (apt-get install chromium, or run scripts/ci-setup.sh)`;
const services: Service[] = [];
let page = '';

before(async () => {
  if (skip) return;
  const urls: string[] = [];
  for (const version of ['v1', 'v2']) {
    const svc = createBackend(readBackendConfig({ VERSION: version, SHUTDOWN_DELAY_MS: '0' }));
    urls.push(`http://127.0.0.1:${await svc.listen(0, '127.0.0.1')}`);
    services.push(svc);
  }
  const frontend = createFrontend(
    readFrontendConfig({ BACKEND_URL: urls.join(','), SHUTDOWN_DELAY_MS: '0' }),
  );
  page = `http://127.0.0.1:${await frontend.listen(0, '127.0.0.1')}/`;
  services.push(frontend);
});
after(() => Promise.all(services.map((s) => s.shutdown())));

test('the page shows the live split of backend versions v1 and v2', { skip, timeout: 60_000 }, async () => {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (err) => errors.push(err.message));
    tab.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await tab.goto(page);
    await tab.locator('li[data-version="v1"]').waitFor({ timeout: 15_000 });
    await tab.locator('li[data-version="v2"]').waitFor({ timeout: 15_000 });
    const shares = await tab.locator('li[data-version]').evaluateAll((items) =>
      items.map((li) => ({
        version: li.querySelector('.version')?.textContent,
        share: li.querySelector('.share')?.textContent,
      })),
    );
    assert.deepEqual(
      shares.map((s) => s.version),
      ['v1', 'v2'],
    );
    // Round-robin over two backends: an even split.
    for (const s of shares) assert.match(s.share ?? '', /^50% \(\d+\)$/);
    assert.match(
      (await tab.locator('#status').textContent()) ?? '',
      /\d+ calls in the last \d+ samples, 0 failed/,
    );
    assert.deepEqual(errors, [], 'no script errors or CSP violations');
  } finally {
    await browser.close();
  }
});
