// Runs browser-echo-check.html in headless Chromium (the Debian package, driven by playwright-core) against a server.
// Usage: node chromium-client.mjs ws://127.0.0.1:PORT/   Prints the page's log; exits 0 when all checks passed.
// CHROMIUM can point to another Chromium binary (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const url = process.argv[2];
if (!url) {
  console.error('usage: node chromium-client.mjs ws://host:port/path');
  process.exit(2);
}
const page = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'browser-echo-check.html'));
page.searchParams.set('url', url);
const userDataDir = mkdtempSync(join(tmpdir(), 'wsreactor-chromium-'));

let context;
let exitCode = 1;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    timeout: 60000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // wss:// against the tests' self-signed certificate
      ...(process.env.WSREACTOR_TRUST_ANY_CERT === '1' ? ['--ignore-certificate-errors'] : [])],
    ignoreHTTPSErrors: process.env.WSREACTOR_TRUST_ANY_CERT === '1',
  });
  const tab = context.pages()[0] || await context.newPage();
  await tab.goto(page.href);
  await tab.waitForFunction(() => window.checkResult !== null, null, { timeout: 30000 });
  const result = await tab.evaluate(() => window.checkResult);
  process.stdout.write(result.log);
  exitCode = result.ok ? 0 : 1;
} catch (error) {
  console.error(String(error && error.stack || error));
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(exitCode);
