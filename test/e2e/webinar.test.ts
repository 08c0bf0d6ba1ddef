/**
 * End to end for `<compa-webinar>`: the real server (temporary SQLite file, time made controllable with
 * test/support/clock.ts), a real SMTP server in-process and the built widget in real Chromium.
 * An organiser publishes a one-place webinar with `npm run compa -- webinar-put` → a supporter registers in the
 * widget (Spanish) → the mail has a valid calendar file, the join link and a cancel link → a second supporter gets
 * the waitlist → the first cancels → the second is promoted and emailed → the 24-hour reminder goes out once,
 * across a restart → a server that was down at the 1-hour mark sends that reminder when it is back, once.
 * Fails if a page requests any host other than the Compa server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import type { Browser, Page } from 'puppeteer-core';
import type { ParsedMail } from 'mailparser';
import { startSmtp } from '../support/smtp.ts';
import { ROOT, removeDir, startServer, type RunningServer } from '../support/server.ts';
import { launchBrowser } from '../support/browser.ts';

const run = promisify(execFile);
const SLUG = 'e2e-one-place';
const HOUR = 3_600_000;

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let server: RunningServer;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'compa-e2e-webinar-'));
const clockFile = join(dir, 'clock-offset');
const foreignRequests: string[] = [];
/** The webinar starts 26 hours after the test begins (real time). */
const start = new Date(Math.ceil((Date.now() + 26 * HOUR) / 60_000) * 60_000);

const env = () => ({ COMPA_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, COMPA_MAIL_FROM: 'Demo <act@demo.test>', TEST_CLOCK_FILE: clockFile });
const boot = () => startServer(env(), dir, ['--import', join(ROOT, 'test/support/clock.ts')]);
/** Moves the server's clock so that it reads `at` now. */
const setClock = (at: number) => writeFileSync(clockFile, String(at - Date.now()));

async function open(path: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== server.url) foreignRequests.push(req.url());
  });
  await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
  return page;
}

/** The demo page with one `<compa-webinar>` for the test webinar (the kit's script is already on the page). */
async function widgetPage(lang: string): Promise<Page> {
  const page = await open('/');
  await page.evaluate(
    (slug, l) => {
      document.querySelector('main')!.innerHTML = `<compa-webinar id="w" webinar="${slug}" lang="${l}"></compa-webinar>`;
    },
    SLUG,
    lang,
  );
  await page.waitForFunction(() => /^(idle|full)$/.test((document.querySelector('#w') as HTMLElement & { state?: string })?.state ?? ''), { timeout: 15_000 });
  return page;
}

async function registerIn(page: Page, name: string, email: string): Promise<void> {
  await page.locator('#w >>> input[name="name"]').fill(name);
  await page.locator('#w >>> input[name="email"]').fill(email);
  await page.locator('#w >>> input[name="q-role"][value="press"]').click();
  await page.locator('#w >>> input[name="consent"]').click();
  await page.locator('#w >>> button[type="submit"]').click();
  await page.waitForFunction(() => (document.querySelector('#w') as HTMLElement & { state?: string }).state === 'registered', { timeout: 15_000 });
}

/** The next mail to `to` (others are kept for later calls). */
const inbox = new Map<string, ParsedMail[]>();
async function mailTo(to: string, timeoutMs = 20_000): Promise<ParsedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const waiting = inbox.get(to);
    if (waiting?.length) return waiting.shift()!;
    const m = await smtp.next(Math.max(1, deadline - Date.now()));
    const addr = (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address ?? '';
    inbox.set(addr, [...(inbox.get(addr) ?? []), m]);
  }
}

/** Mails to `to` received so far and not yet taken. */
const pending = (to: string) => inbox.get(to)?.length ?? 0;

function linkIn(mail: ParsedMail, path: string): string {
  const m = new RegExp(`(http://[^\\s]+${path.replace(/\//g, '\\/')}\\?t=[^\\s]+)`).exec(mail.text ?? '');
  assert.ok(m, `the mail carries a ${path} link:\n${mail.text}`);
  return m[1]!;
}

before(async () => {
  smtp = await startSmtp();
  writeFileSync(clockFile, '0');
  // The organiser publishes the webinar as the README says, before and while the server runs alike.
  const file = join(dir, 'webinar.json');
  writeFileSync(
    file,
    JSON.stringify({
      slug: SLUG,
      status: 'published',
      heldIn: 'es',
      interpretation: ['en'],
      start: start.toISOString(),
      end: new Date(start.getTime() + HOUR).toISOString(),
      timeZone: 'Europe/Madrid',
      capacity: 1,
      joinUrl: 'https://meet.example.org/e2e-secret-room',
      questions: [{ id: 'role', kind: 'choice', required: true, options: ['press', 'supporter'] }],
      texts: {
        en: { title: 'One place only', description: 'A test webinar.', questions: { role: { label: 'Role', options: { press: 'Press', supporter: 'Supporter' } } } },
        es: { title: 'Una sola plaza', description: 'Un webinario de prueba.', questions: { role: { label: 'Rol', options: { press: 'Prensa', supporter: 'Apoyo' } } } },
      },
    }),
  );
  // A new installation: the database is created first (commands refuse to make one by mistake), then published to.
  const cliEnv = { PATH: process.env.PATH, COMPA_DATABASE_URL: `sqlite:${join(dir, 'compa.db')}`, COMPA_OUTBOX_DIR: join(dir, 'outbox') };
  await run(process.execPath, [join(ROOT, 'src/server/cli.ts'), 'migrate'], { cwd: ROOT, env: cliEnv });
  await run(process.execPath, [join(ROOT, 'src/server/cli.ts'), 'webinar-put', file], { cwd: ROOT, env: cliEnv });
  server = await boot();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  await smtp?.close();
  removeDir(dir);
  assert.equal(code, 0, 'the server stops cleanly on SIGTERM');
});

test('register → mail with a valid .ics → waitlist → cancel → the waitlisted person is promoted → reminders once across restarts', async () => {
  // 1. Ana registers in Spanish: the widget says "check your email", never the link.
  const page = await widgetPage('es');
  await registerIn(page, 'Ana Gómez', 'ana@example.org');
  const shadowText = await page.$eval('#w', (el) => el.shadowRoot!.textContent ?? '');
  assert.doesNotMatch(shadowText, /e2e-secret-room/, 'the join link is never on the page');

  const placed = await mailTo('ana@example.org');
  assert.match(placed.subject ?? '', /^Tu plaza: Una sola plaza/);
  assert.match(placed.text ?? '', /https:\/\/meet\.example\.org\/e2e-secret-room/);
  assert.match(placed.text ?? '', /calendar\.google\.com/);
  const ics = placed.attachments.find((a) => a.filename?.endsWith('.ics'));
  assert.ok(ics, 'a calendar file is attached');
  assert.match(ics.contentType, /^text\/calendar/);
  const vevent = new ICAL.Component(ICAL.parse(ics.content.toString('utf8'))).getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  assert.equal(event.startDate.toJSDate().getTime(), start.getTime(), 'DTSTART is the start instant');
  assert.equal(event.endDate.toJSDate().getTime(), start.getTime() + HOUR);
  assert.equal(event.summary, 'Una sola plaza');
  const uid = event.uid;
  assert.ok(uid);

  // 2. Bea registers too: the only place is taken, so she is on the waitlist (same answer on the page).
  const page2 = await widgetPage('en');
  assert.equal(await page2.$eval('#w', (el) => (el as HTMLElement & { state?: string }).state), 'full', 'the widget offers the waitlist');
  await registerIn(page2, 'Bea Smith', 'bea@example.org');
  const waitlisted = await mailTo('bea@example.org');
  assert.match(waitlisted.subject ?? '', /waitlist/);
  assert.doesNotMatch(waitlisted.text ?? '', /e2e-secret-room/, 'no join link without a place');

  // 3. Ana cancels through the link in her mail (the page asks first); Bea gets the place and an email.
  const cancelPage = await open(new URL(linkIn(placed, '/webinars/cancel')).pathname + new URL(linkIn(placed, '/webinars/cancel')).search);
  await Promise.all([cancelPage.waitForNavigation({ waitUntil: 'load' }), cancelPage.locator('form button[type="submit"]').click()]);
  assert.match(await cancelPage.$eval('h1', (h) => h.textContent ?? ''), /Inscripción cancelada/);
  const cancelled = await mailTo('ana@example.org');
  const cancelIcs = cancelled.attachments.find((a) => a.filename?.endsWith('.ics'))!.content.toString('utf8');
  assert.match(cancelIcs, /METHOD:CANCEL/);
  assert.match(cancelIcs.replace(/\r\n /g, ''), new RegExp(`UID:${uid.replace(/[.]/g, '\\.')}`), 'the same UID: calendars remove the entry');
  const promoted = await mailTo('bea@example.org');
  assert.match(promoted.subject ?? '', /A place is free for you/);
  assert.match(promoted.text ?? '', /e2e-secret-room/);

  // 4. 24 hours before the start (plus a minute): Bea's reminder, once; a restart sends nothing again.
  setClock(start.getTime() - 24 * HOUR + 60_000);
  const reminder = await mailTo('bea@example.org');
  assert.match(reminder.subject ?? '', /^Tomorrow: One place only/);
  assert.equal(await server.stop(), 0);
  server = await boot();
  await new Promise((r) => setTimeout(r, 4_000)); // several rounds of the job loop
  assert.equal(pending('bea@example.org'), 0, 'no second 24-hour reminder after the restart');
  assert.equal(pending('ana@example.org'), 0, 'a cancelled registration gets no reminder');

  // 5. The server is down at the 1-hour mark and comes back 30 minutes before the start: the 1-hour reminder
  //    goes out then, once (the late 24-hour one is not sent again either).
  assert.equal(await server.stop(), 0);
  setClock(start.getTime() - 30 * 60_000);
  server = await boot();
  const late = await mailTo('bea@example.org');
  assert.match(late.subject ?? '', /^Starting soon: One place only/);
  await new Promise((r) => setTimeout(r, 3_000));
  assert.equal(pending('bea@example.org'), 0);

  assert.deepEqual(foreignRequests, [], 'no request to any other host');
});
