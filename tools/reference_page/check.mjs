// The reference page in a real browser (the system Chromium, driven by puppeteer-core):
//
//   node check.mjs check <page.html> <trillet.json>      the checks below; exit 1 names each failure
//   node check.mjs selftest <page.html> <trillet.json>   the checks must fail on broken pages
//   node check.mjs screenshot <page.html> <out.png>      1280x800 screenshot of the page
//
// Every request that is not file:, data:, blob: or about: is aborted and fails the check
// (and Chromium runs behind a dead proxy, so nothing could reach the network anyway);
// so does a Content-Security-Policy violation (the page refusing something external)
// and an uncaught error in the page. Chromium: $CHROMIUM, else /usr/bin/chromium.

import { readFileSync, writeFileSync, mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import puppeteer from 'puppeteer-core';

const VIEWPORT = { width: 1280, height: 800, deviceScaleFactor: 1 };
const TIMEOUT = 30000;

async function open(browser, url, failures) {
  const page = await browser.newPage();
  await page.setViewport(VIEWPORT);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (/^(file|data|blob|about):/.test(url)) {
      request.continue();
    } else {
      failures.push(`the page requested ${url} (it must render offline)`);
      request.abort();
    }
  });
  page.on('pageerror', (error) => failures.push(`uncaught error in the page: ${error.message}`));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (message.text().startsWith('CSP violation')) failures.push(`the page tried to load from outside: ${message.text()}`);
  });
  await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT });
  return page;
}

function launch() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--proxy-server=127.0.0.1:9', '--proxy-bypass-list=<-loopback>',
      '--disable-background-networking', '--disable-component-update', '--no-first-run',
      '--disable-sync', '--disable-gpu', '--font-render-hinting=none'],
  });
}

// The sidebar's group labels (one per tag), once the page has rendered.
async function sidebarGroups(page) {
  await page.waitForSelector('.menu-item-type-group', { timeout: TIMEOUT });
  return page.$$eval('.menu-item-type-group', (groups) => groups.map((g) => g.textContent.trim()));
}

// Whether a heading that starts with `text` (webhooks carry a "Webhook" badge) has its
// top in the viewport.
function headingInView(page, text) {
  return page.evaluate((text) => [...document.querySelectorAll('h1, h2, h3')]
    .filter((h) => h.textContent.trim().startsWith(text))
    .some((h) => { const top = h.getBoundingClientRect().top; return top >= 0 && top < window.innerHeight; }), text);
}

const settle = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, test) {
  for (let i = 0; i < 50; i++) {
    if (await test()) return true;
    await settle(200);
  }
  return false;
}

// The first string inside an example value, depth first (what its sample panel shows).
function firstString(value) {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) {
      const found = firstString(item);
      if (found) return found;
    }
  }
  return undefined;
}

function operations(spec) {
  const out = [];
  for (const [section, items] of [['paths', spec.paths || {}], ['x-webhooks', spec['x-webhooks'] || {}]]) {
    for (const [path, item] of Object.entries(items)) {
      for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']) {
        if (item[method]) out.push({ section, path, method, ...item[method] });
      }
    }
  }
  return out;
}

async function check(pagePath, specPath) {
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const url = pathToFileURL(resolve(pagePath)).href;
  const failures = [];
  const browser = await launch();
  try {
    const ops = operations(spec);
    // 1. It loads, offline, with every tag in the sidebar and the version on the page.
    let page = await open(browser, url, failures);
    let groups = [];
    try { groups = await sidebarGroups(page); } catch (e) { failures.push(`no sidebar rendered: ${e.message}`); }
    for (const tag of spec.tags || []) {
      if (!groups.includes(tag.name)) failures.push(`the sidebar lacks the tag "${tag.name}" (it has: ${groups.join(', ') || 'nothing'})`);
    }
    const version = spec.info.version;
    const text = await page.evaluate(() => document.body.innerText);
    if (!text.includes(version) && !(await page.title()).includes(version)) failures.push(`the version ${version} is not on the page`);
    // 2. A deep link opens its operation, with its request and response examples;
    //    the first operation of the contract and the first webhook.
    const requestExample = (op) => Object.values(Object.values(op.requestBody?.content || {})[0]?.examples || {})[0];
    const withExample = ops.find((op) => op.section === 'paths' && requestExample(op)?.summary);
    const webhook = ops.find((op) => op.section === 'x-webhooks');
    for (const op of [withExample, webhook].filter(Boolean)) {
      const link = `${url}#tag/${encodeURIComponent(op.tags[0])}/operation/${op.operationId}`;
      await page.close();
      page = await open(browser, link, failures);
      const opened = await waitFor('heading', () => headingInView(page, op.summary));
      if (!opened) failures.push(`the deep link #tag/${op.tags[0]}/operation/${op.operationId} does not show "${op.summary}"`);
      const example = requestExample(op);
      const sample = await page.evaluate(() => document.body.innerText);
      if (example?.summary && !sample.includes(example.summary)) failures.push(`${op.operationId}: the request example "${example.summary}" is not shown`);
      const [status, response] = Object.entries(op.responses || {})[0] || [];
      if (status && !sample.includes(status)) failures.push(`${op.operationId}: the response ${status} is not shown`);
      // Response samples show when their section is in view.
      await page.evaluate(() => document.querySelector('[id$="/responses"]')?.scrollIntoView());
      await settle(1000);
      const rendered = await page.evaluate(() => document.body.innerText);
      const responseExample = Object.values(Object.values(response?.content || {})[0]?.examples || {})[0];
      const shown = firstString(responseExample?.value ?? Object.values(response?.content || {})[0]?.example);
      if (shown && !rendered.includes(JSON.stringify(shown))) failures.push(`${op.operationId}: the response sample (${JSON.stringify(shown)}) is not shown`);
    }
    // 3. The search finds an operation by its name.
    const wanted = ops.find((op) => op.section === 'paths' && op !== ops[0]) || ops[0];
    await page.keyboard.down('Control');
    await page.keyboard.press('k');
    await page.keyboard.up('Control');
    const input = await page.waitForSelector('input[placeholder^="Search"]', { timeout: TIMEOUT }).catch(() => null);
    if (!input) {
      failures.push('Ctrl+K opens no search box');
    } else {
      await input.type(wanted.summary);
      const found = await waitFor('results', () => page.evaluate((summary) => [...document.querySelectorAll('[data-testid=search-dialog] *')]
        .some((e) => e.tagName !== 'INPUT' && e.textContent.trim() === summary), wanted.summary));
      if (!found) failures.push(`the search for "${wanted.summary}" does not list that operation`);
    }
  } finally {
    await browser.close();
  }
  return failures;
}

async function screenshot(pagePath, pngPath) {
  const failures = [];
  const browser = await launch();
  try {
    const page = await open(browser, pathToFileURL(resolve(pagePath)).href, failures);
    await sidebarGroups(page);
    await settle(500);
    await page.screenshot({ path: pngPath, type: 'png' });
  } finally {
    await browser.close();
  }
  return failures;
}

// Broken pages the check must refuse: one that needs the network, one without a tag,
// one whose scripts are broken.
async function selftest(pagePath, specPath) {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'reference-page-selftest-'));
  const problems = [];
  try {
    const html = readFileSync(pagePath, 'utf8');
    const spec = JSON.parse(readFileSync(specPath, 'utf8'));
    const variants = [];
    // Needs the network: a script from a CDN, and the page's own policy lifted.
    const online = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      .replace('</head>', '<script src="https://cdn.example.com/redoc.js"></script></head>');
    variants.push(['a page that needs the network', online, /requested https:\/\/cdn\.example\.com/]);
    // The same, with the page's policy kept: the browser refuses it, and so does the check.
    variants.push(['a page that tries the network under its policy',
      html.replace('</head>', '<img src="https://cdn.example.com/logo.svg"></head>'), /load from outside|requested https/]);
    // Broken scripts: nothing renders.
    variants.push(['a page whose scripts are broken', html.replace(/<script>/g, '<script>throw new Error("broken");'), /uncaught error|no sidebar/]);
    // A tag missing: the page built from the contract without its last tag.
    const last = spec.tags[spec.tags.length - 1].name;
    const smaller = structuredClone(spec);
    smaller.tags = smaller.tags.filter((t) => t.name !== last);
    for (const section of ['paths', 'x-webhooks']) {
      for (const item of Object.values(smaller[section] || {})) {
        for (const [method, op] of Object.entries(item)) if (op.tags?.includes(last)) delete item[method];
      }
    }
    writeFileSync(join(dir, 'smaller.json'), JSON.stringify(smaller));
    execFileSync(join(here, '../node_modules/.bin/redocly'), ['build-docs', join(dir, 'smaller.json'), '--inlineBundle',
      '--template', join(here, 'template.hbs'), '--lint-config=off', '-o', join(dir, 'smaller.html')],
    { cwd: dir, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, stdio: 'pipe' });
    const smallerHtml = readFileSync(join(dir, 'smaller.html'), 'utf8').replaceAll('https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'data:,').replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', 'data:,');
    variants.push([`a page without the tag "${last}"`, smallerHtml, new RegExp(`lacks the tag "${last}"`)]);
    for (const [what, text, expected] of variants) {
      const file = join(dir, 'variant.html');
      writeFileSync(file, text);
      const failures = await check(file, specPath);
      if (!failures.some((f) => expected.test(f))) {
        problems.push(`${what}: the check should fail with ${expected}, it said: ${failures.join('; ') || 'nothing (passed)'}`);
      } else {
        console.log(`ok: ${what} is refused (${failures.find((f) => expected.test(f))})`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

const [command, first, second] = process.argv.slice(2);
const commands = { check, selftest, screenshot };
if (!commands[command] || !first || !second) {
  console.error('usage: node check.mjs check|selftest <page.html> <trillet.json> | screenshot <page.html> <out.png>');
  process.exit(2);
}
try {
  const failures = await commands[command](first, second);
  for (const failure of failures) console.error(`${command}: ${failure}`);
  if (failures.length) process.exit(1);
  console.log(`${command}: ${command === 'screenshot' ? `wrote ${second}` : `${first} passes`}`);
} catch (error) {
  console.error(`${command}: ${error.stack || error}`);
  process.exit(2);
}
