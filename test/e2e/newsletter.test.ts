/**
 * End to end: the real server (temporary SQLite file), a real SMTP server in-process, and the built
 * widget in real Chromium on the demo page. Signup → email → confirm link → confirmed → one-click
 * unsubscribe. Fails if the page requests any host other than the Compa server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openClearReaderAt } from '../server/clear-view.ts';
import type { Browser, Page } from 'puppeteer-core';
import { startSmtp } from '../support/smtp.ts';
import { createServer, type Server } from 'node:http';
import { freePort, removeDir, startServer, type RunningServer } from '../support/server.ts';
import { launchBrowser } from '../support/browser.ts';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let server: RunningServer;
let browser: Browser;
/** An organisation's own site on another origin, embedding the widget from the Compa server. */
let host: Server;
let hostUrl: string;
const foreignRequests: string[] = [];

function statuses(dbPath: string, email: string) {
  const db = openClearReaderAt(dbPath);
  try {
    return db
      .prepare(
        `select l.slug, s.status, s.consent_text, s.consent_locale from subscriptions s
         join subscribers p on p.id = s.subscriber_id join newsletter_lists l on l.id = s.list_id
         where p.email = ? order by l.slug`,
      )
      .all(email) as { slug: string; status: string; consent_text: string; consent_locale: string }[];
  } finally {
    db.close();
  }
}

async function watch(page: Page, origin: string) {
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.origin !== origin) foreignRequests.push(req.url());
  });
}

before(async () => {
  smtp = await startSmtp();
  const hostPort = await freePort();
  hostUrl = `http://localhost:${hostPort}`; // localhost ≠ 127.0.0.1: a different origin from the Compa server
  server = await startServer({
    COMPA_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    COMPA_MAIL_FROM: 'Demo <news@demo.test>',
    COMPA_ALLOWED_ORIGINS: hostUrl,
  });
  host = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="fr-CA"><head><title>Partner site</title>
<script type="module" src="${server.url}/dist/newsletter.js"></script></head>
<body><main><h1>Partner site</h1><compa-newsletter lists="weekly-bulletin" hide-first-name></compa-newsletter></main></body></html>`);
  });
  await new Promise<void>((resolve) => host.listen(hostPort, 'localhost', resolve));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => host?.close(resolve));
  const code = await server?.stop();
  await smtp?.close();
  if (server) removeDir(server.dir);
  assert.equal(code, 0, 'the server stops cleanly on SIGTERM');
});

test('a supporter signs up in Spanish, confirms by email, then unsubscribes with one click', async () => {
  const page = await browser.newPage();
  await watch(page, server.url);
  // (not networkidle: the demo page's petition keeps its live-count stream open)
  await page.goto(`${server.url}/`, { waitUntil: 'load' });
  await page.waitForFunction(() => (document.querySelector('compa-newsletter#main-signup') as HTMLElement & { state?: string })?.state === 'idle');

  // The page switches to Spanish; the widget without its own lang follows <html lang>.
  await page.locator('nav button[data-lang="es"]').click();
  const widget = 'compa-newsletter#main-signup';
  await page.waitForFunction(
    (sel) => (document.querySelector(sel)?.shadowRoot?.textContent ?? '').includes('Suscrib'),
    { timeout: 10_000 },
    widget,
  );

  const email = 'ana.garcia@example.org';
  await page.locator(`${widget} >>> input[type="email"]`).fill(email);
  await page.locator(`${widget} >>> input[autocomplete="given-name"]`).fill('Ana');
  // Two public lists: a choice is offered; pick the urgent actions.
  const listBoxes = await page.$$(`${widget} >>> [part~="lists"] input[type="checkbox"]`);
  assert.equal(listBoxes.length, 2, 'both public lists are offered');
  await page.locator(`${widget} >>> [part~="lists"] input[value="urgent-actions"]`).click();
  const consent = `${widget} >>> [part~="consent"] input[type="checkbox"]`;
  assert.equal(await page.$eval(consent, (el) => (el as HTMLInputElement).checked), false, 'consent is not pre-ticked');
  await page.locator(consent).click();
  await page.locator(`${widget} >>> button[type="submit"]`).click();

  await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLElement & { state?: string })?.state === 'check-inbox', { timeout: 15_000 }, widget);

  const mail = await smtp.next();
  assert.equal(mail.to && 'text' in mail.to ? mail.to.text : '', email);
  assert.match(mail.subject ?? '', /Confirma tu suscripción/, 'the email is in the supporter’s language');
  // (mailparser folds List-* headers into its own object: read them from the raw message as received)
  const raw = smtp.raw.at(-1)!;
  assert.match(raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  const listUnsubscribe = /^List-Unsubscribe:\s*<([^>]+)>/im.exec(raw)?.[1] ?? '';
  assert.ok(listUnsubscribe.startsWith(`${server.url}/newsletter/unsubscribe?t=`), 'List-Unsubscribe points at this server');

  // Consent is provable: exact text, language and time stored; pending until confirmed.
  const before = statuses(server.dbPath, email);
  assert.deepEqual(before.map((s) => [s.slug, s.status]), [['urgent-actions', 'pending']]);
  assert.equal(before[0]!.consent_locale, 'es');
  assert.match(before[0]!.consent_text, /acepto|privacidad/i);

  const confirmLink = /(http:\/\/[^\s]+\/newsletter\/confirm\?t=[^\s]+)/.exec(mail.text ?? '')?.[1];
  assert.ok(confirmLink, 'the email carries a confirm link');
  await page.goto(confirmLink, { waitUntil: 'load' });
  assert.equal(await page.$eval('html', (h) => h.lang), 'es');
  assert.match(await page.$eval('h1', (h) => h.textContent ?? ''), /Suscripción confirmada/);
  assert.deepEqual(statuses(server.dbPath, email).map((s) => s.status), ['confirmed']);

  // A mail scanner's GET of the unsubscribe link changes nothing; it only shows a button.
  await page.goto(listUnsubscribe, { waitUntil: 'load' });
  assert.deepEqual(statuses(server.dbPath, email).map((s) => s.status), ['confirmed']);

  // The mail program's one-click POST (RFC 8058) unsubscribes at once.
  const res = await fetch(listUnsubscribe, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  assert.equal(res.status, 200);
  assert.deepEqual(statuses(server.dbPath, email).map((s) => s.status), ['unsubscribed']);

  // And the button on the page works for a person too (idempotent).
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('form button[type="submit"]').click()]);
  assert.match(await page.$eval('h1', (h) => h.textContent ?? ''), /Te has dado de baja/);
  assert.deepEqual(statuses(server.dbPath, email).map((s) => s.status), ['unsubscribed']);

  assert.deepEqual(foreignRequests, [], 'no request to any host other than the Compa server');
  await page.close();
});

test('the demo page loads the kit once per script and each widget speaks its own language', async () => {
  const page = await browser.newPage();
  await watch(page, server.url);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/`, { waitUntil: 'load' });
  await page.waitForFunction(() => [...document.querySelectorAll('compa-newsletter[lang]')].every((el) => (el as HTMLElement & { state?: string }).state === 'idle'));
  const texts = await page.$$eval('compa-newsletter[lang]', (els) => els.map((el) => [el.getAttribute('lang'), el.shadowRoot?.textContent ?? '']));
  assert.equal(texts.length, 2);
  const es = texts.find(([l]) => l === 'es')![1]!;
  const fr = texts.find(([l]) => l === 'fr')![1]!;
  assert.match(es, /correo/i, 'the Spanish widget is in Spanish');
  assert.match(fr, /courriel|adresse/i, 'the French widget is in French');
  // Embedding the script a second time (a CMS adding it twice) must not throw.
  await page.addScriptTag({ type: 'module', url: `${server.url}/dist/newsletter.js` });
  await page.addScriptTag({ type: 'module', url: `${server.url}/dist/compa.js?again` });
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(errors, []);
  assert.deepEqual(foreignRequests, []);
  await page.close();
});

test('an organisation’s own site on another origin embeds the widget; signup works through CORS, in the page’s language', async () => {
  const page = await browser.newPage();
  const seen = new Set<string>();
  page.on('request', (req) => seen.add(new URL(req.url()).origin));
  await page.goto(`${hostUrl}/`, { waitUntil: 'networkidle0' });
  const widget = 'compa-newsletter';
  await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLElement & { state?: string })?.state === 'idle', {}, widget);
  assert.match(await page.$eval(widget, (el) => el.shadowRoot!.textContent ?? ''), /Abonnez-vous|lettre/, 'fr-CA → French');
  const email = 'partner.site@example.org';
  await page.locator(`${widget} >>> input[type="email"]`).fill(email);
  await page.locator(`${widget} >>> [part~="consent"] input[type="checkbox"]`).click();
  await page.locator(`${widget} >>> button[type="submit"]`).click();
  await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLElement & { state?: string })?.state === 'check-inbox', { timeout: 15_000 }, widget);
  const mail = await smtp.next();
  assert.match(mail.subject ?? '', /confirmer votre abonnement/);
  assert.deepEqual(statuses(server.dbPath, email).map((s) => [s.slug, s.status, s.consent_locale]), [['weekly-bulletin', 'pending', 'fr']]);
  assert.deepEqual([...seen].sort(), [hostUrl, server.url].sort(), 'only the page’s own origin and the Compa server');
  await page.close();
});
