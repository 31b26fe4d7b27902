#!/usr/bin/env node
// pa11y with the HTML_CodeSniffer runner (WCAG 2 AA) over many pages in one
// Debian Chromium, the second accessibility engine beside axe-core.
//
//   node scripts/pa11y_pages.js URL... > report.json
//
// Prints one JSON object, {url: [issue, ...]}, with errors only (pa11y's
// default); scripts/audit.py and tests/test_pa11y.py read it and apply the
// project's filters. Chromium: /usr/bin/chromium, or CHROMIUM=/other/path.
// Exit code 0 when every page ran (whatever it found), 2 when one did not.
'use strict';

const pa11y = require('pa11y');
const puppeteer = require('puppeteer');

const urls = process.argv.slice(2);
if (urls.length === 0) {
  console.error('usage: node scripts/pa11y_pages.js URL... (prints a JSON report)');
  process.exit(2);
}

// Pages checked at once (PA11Y_CONCURRENCY=1 for one at a time)
const CONCURRENCY = Math.max(1, parseInt(process.env.PA11Y_CONCURRENCY || '3', 10) || 3);

const ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function main() {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ARGS,
  });
  const results = new Map();
  let failed = false;
  // A few pages at a time in the one browser: a page spends much of its time
  // waiting (loading, HTML_CodeSniffer's run), so two cores serve three
  const queue = urls.slice();
  async function worker() {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      const page = await browser.newPage();
      try {
        const result = await pa11y(url, {
          browser, page, runners: ['htmlcs'], standard: 'WCAG2AA', timeout: 30000,
        });
        results.set(url, result.issues.map(({code, type, message, selector, context}) =>
          ({code, type, message, selector, context})));
      } catch (error) {
        console.error(`${url}: pa11y could not run: ${error.message}`);
        failed = true;
      } finally {
        await page.close();
      }
    }
  }
  try {
    await Promise.all(Array.from({length: CONCURRENCY}, worker));
  } finally {
    await browser.close();
  }
  // In the order the pages were given, whatever order they finished in
  const report = {};
  for (const url of urls) if (results.has(url)) report[url] = results.get(url);
  process.stdout.write(JSON.stringify(report, null, 1) + '\n');
  process.exit(failed ? 2 : 0);
}

main().catch(error => {
  console.error(`pa11y_pages: ${error.message}`);
  process.exit(2);
});
