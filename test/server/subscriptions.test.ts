import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListsResponseSchema } from '../../src/schemas/newsletter.ts';
import { DAY, HOUR, REPO_ROOT, harness, json, linkIn, pathOf, subscription, type Harness } from './helpers.ts';

interface SubscriptionRow {
  email: string;
  first_name: string | null;
  locale: string;
  slug: string;
  status: string;
  consent_text: string;
  consent_locale: string;
  consent_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
}

function subscriptionsOf(h: Harness, email: string): SubscriptionRow[] {
  return h.rows<SubscriptionRow>(
    `select s.email, s.first_name, s.locale, l.slug, x.status, x.consent_text, x.consent_locale, x.consent_at,
            x.confirmed_at, x.unsubscribed_at
       from subscribers s join subscriptions x on x.subscriber_id = s.id join newsletter_lists l on l.id = x.list_id
      where s.email = ? order by l.id`,
    email,
  );
}

function listTexts(h: Harness): Map<string, Record<string, { name: string; description: string }>> {
  const rows = h.rows<{ slug: string; texts: string }>('select slug, texts from newsletter_lists');
  return new Map(rows.map((r) => [r.slug, JSON.parse(r.texts)]));
}

/** Subscribes, sends the confirmation mail, and returns the mail's confirm and unsubscribe links. */
async function subscribeAndMail(h: Harness, body: Record<string, unknown>, extra?: Parameters<Harness['subscribe']>[2]) {
  const before = h.mails.length;
  const res = await h.subscribe(body, {}, extra);
  assert.equal(res.statusCode, 202, res.body);
  await h.drain();
  assert.equal(h.mails.length, before + 1, 'one confirmation mail');
  const mail = h.mails.at(-1)!;
  return {
    mail,
    confirm: linkIn(mail.text, h.config.publicUrl, '/newsletter/confirm'),
    unsubscribe: linkIn(mail.text, h.config.publicUrl, '/newsletter/unsubscribe'),
  };
}

test('lists come in English, Spanish and French, with the language they are in', async (t) => {
  const h = await harness(t);
  const texts = listTexts(h);
  for (const locale of ['en', 'es', 'fr']) {
    const res = await h.inject({ url: `/api/v1/lists?locale=${locale}` });
    assert.equal(res.statusCode, 200);
    const body = ListsResponseSchema.parse(json(res));
    assert.ok(body.lists.length > 0);
    for (const list of body.lists) {
      assert.equal(list.locale, locale, `${list.slug} in ${locale}`);
      assert.equal(list.name, texts.get(list.slug)![locale]!.name);
      assert.equal(list.description, texts.get(list.slug)![locale]!.description);
    }
  }
});

test('a regional tag gets its language; an unsupported one gets English, marked as such', async (t) => {
  const h = await harness(t);
  const texts = listTexts(h);
  const esCO = ListsResponseSchema.parse(json(await h.inject({ url: '/api/v1/lists?locale=es-CO' })));
  for (const list of esCO.lists) {
    assert.equal(list.locale, 'es');
    assert.equal(list.name, texts.get(list.slug)!.es!.name);
  }
  const de = ListsResponseSchema.parse(json(await h.inject({ url: '/api/v1/lists?locale=de' })));
  for (const list of de.lists) {
    assert.equal(list.locale, 'en');
    assert.equal(list.name, texts.get(list.slug)!.en!.name);
  }
  const none = ListsResponseSchema.parse(json(await h.inject({ url: '/api/v1/lists' })));
  assert.deepEqual(none, de, 'no locale: English');
});

test('a list without a translation falls back to English on its own', async (t) => {
  const h = await harness(t);
  await h.app.compa.store.createList({
    slug: 'press-releases',
    isPublic: true,
    now: h.clock.now(),
    texts: { en: { name: 'Press releases', description: 'For journalists.' } },
  });
  const body = ListsResponseSchema.parse(json(await h.inject({ url: '/api/v1/lists?locale=fr' })));
  const press = body.lists.find((l) => l.slug === 'press-releases');
  assert.deepEqual(press, { slug: 'press-releases', name: 'Press releases', description: 'For journalists.', locale: 'en' });
  assert.ok(body.lists.filter((l) => l.slug !== 'press-releases').every((l) => l.locale === 'fr'));
});

test('private lists are neither listed nor open to subscription', async (t) => {
  const h = await harness(t);
  const privateSlugs = h.rows<{ slug: string }>('select slug from newsletter_lists where is_public = 0').map((r) => r.slug);
  assert.ok(privateSlugs.length > 0, 'the demo data has a private list');
  const listed = ListsResponseSchema.parse(json(await h.inject({ url: '/api/v1/lists?locale=en' }))).lists.map((l) => l.slug);
  for (const slug of privateSlugs) assert.ok(!listed.includes(slug), `${slug} is not listed`);

  const before = h.counts();
  const res = await h.subscribe(subscription({ lists: [privateSlugs[0]] }));
  assert.equal(res.statusCode, 400);
  assert.ok(json(res).error.fields.lists);
  assert.deepEqual(h.counts(), before);
});

test('subscribing stores the consent as proof and sends one confirmation mail in the supporter’s language', async (t) => {
  const h = await harness(t);
  const consentText = 'Sí, quiero recibir el boletín semanal. Puedo darme de baja cuando quiera.';
  const body = subscription({ email: 'Ana.Lucia@Example.org', firstName: 'Ana Lucía', locale: 'es-CO', consentText });
  const at = h.clock.now().toISOString();

  const res = await h.subscribe(body);
  assert.equal(res.statusCode, 202);
  assert.deepEqual(json(res), { status: 'pending_confirmation' });

  const rows = subscriptionsOf(h, 'ana.lucia@example.org');
  assert.equal(rows.length, 1, 'one subscription, under the normalised address');
  assert.deepEqual(rows.map((r) => r.slug), body.lists);
  const [row] = rows;
  assert.equal(row!.status, 'pending');
  assert.equal(row!.first_name, 'Ana Lucía');
  assert.equal(row!.consent_text, consentText);
  assert.match(row!.consent_locale, /^es(-|$)/, 'the consent text was in Spanish');
  assert.equal(row!.consent_at, at);
  assert.equal(row!.confirmed_at, null);
  assert.equal(h.rows('select * from jobs').length, 1, 'the mail is a persisted job, written with the subscription');

  await h.drain();
  assert.equal(h.mails.length, 1);
  const mail = h.mails[0]!;
  assert.equal(mail.to, 'ana.lucia@example.org');
  assert.equal(mail.locale, 'es');
  const subjectIn = (locale: string) =>
    (JSON.parse(readFileSync(join(REPO_ROOT, 'locales/server', `${locale}.json`), 'utf8'))['mail.confirm.subject'] as string).replace(
      '{organisation}',
      h.config.organisation,
    );
  assert.equal(mail.subject, subjectIn('es'));
  assert.notEqual(subjectIn('es'), subjectIn('en'));
  assert.doesNotMatch(mail.text, /Ana Lucía/, 'a name nobody verified never reaches the inbox');
  const confirm = linkIn(mail.text, h.config.publicUrl, '/newsletter/confirm');
  assert.ok(mail.html.includes(confirm), 'the HTML part has the same confirm link');
  assert.ok(mail.unsubscribeUrl!.startsWith(`${h.config.publicUrl}/newsletter/unsubscribe?t=`), mail.unsubscribeUrl);
  assert.ok(mail.text.includes(mail.unsubscribeUrl!), 'the text names the unsubscribe link too');
  assert.equal(await h.drain(), 0, 'the job ran once');
});

test(
  'the consent record keeps the language the text was shown in, even one the server has no catalogue for',
  async (t) => {
    const h = await harness(t);
    const body = subscription({ locale: 'de-AT', consentText: 'Ja, ich möchte den Wochenbrief erhalten.' });
    assert.equal((await h.subscribe(body)).statusCode, 202);
    const [row] = subscriptionsOf(h, String(body.email));
    assert.match(row!.consent_locale, /^de(-|$)/, `German consent text recorded as "${row!.consent_locale}"`);
  },
);

test('concurrent duplicate requests for one address: all accepted, one subscriber, no 5xx', async (t) => {
  const h = await harness(t);
  const body = subscription();
  const answers = await Promise.all(Array.from({ length: 8 }, () => h.subscribe(body)));
  assert.deepEqual(new Set(answers.map((r) => `${r.statusCode} ${r.body}`)), new Set(['202 {"status":"pending_confirmation"}']));
  assert.equal(subscriptionsOf(h, String(body.email)).length, 1);
  assert.equal(h.counts().subscribers, 1);
});

test('concurrent retries with one Idempotency-Key write once', async (t) => {
  const h = await harness(t);
  const body = subscription();
  const answers = await Promise.all(Array.from({ length: 5 }, () => h.subscribe(body, { 'idempotency-key': 'same-key-at-once' })));
  assert.ok(answers.every((r) => r.statusCode === 202 && r.body === answers[0]!.body), answers.map((r) => r.body).join('\n'));
  assert.equal(answers.filter((r) => r.headers['idempotent-replayed'] !== 'true').length, 1, 'one original answer, the rest replayed');
  assert.equal(h.counts().jobs, 1, 'one confirmation mail job');
  await h.drain();
  assert.equal(h.mails.length, 1);
});

test('the confirmation mail carries no name typed in the form (signup spam to third parties)', async (t) => {
  const h = await harness(t);
  await subscribeAndMail(h, subscription({ firstName: 'Win a prize at evil.example <img src=x>' }));
  const mail = h.mails[0]!;
  for (const part of [mail.text, mail.html, mail.subject]) {
    assert.ok(!part.includes('evil.example'), part);
    assert.ok(!part.includes('<img src=x'), part);
  }
});

test('the confirm link confirms and shows a page in the supporter’s language', async (t) => {
  const h = await harness(t);
  const body = subscription({ locale: 'es-CO' });
  const { confirm } = await subscribeAndMail(h, body);
  h.clock.advance(HOUR);

  const res = await h.inject({ url: pathOf(confirm) });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.match(res.body, /<html lang="es" dir="ltr">/);
  assert.match(res.body, /<title>Suscripción confirmada<\/title>/);
  const [row] = subscriptionsOf(h, String(body.email));
  assert.equal(row!.status, 'confirmed');
  assert.equal(row!.confirmed_at, h.clock.now().toISOString());

  const again = await h.inject({ url: pathOf(confirm) });
  assert.equal(again.statusCode, 200, 'opening the link twice is fine');
  assert.equal(subscriptionsOf(h, String(body.email))[0]!.confirmed_at, row!.confirmed_at, 'and changes nothing');
});

test('a tampered confirm link shows an error page and changes nothing', async (t) => {
  const h = await harness(t);
  const body = subscription();
  const { confirm, unsubscribe } = await subscribeAndMail(h, body);
  const url = new URL(confirm);
  const token = url.searchParams.get('t')!;
  const [purpose, subject, expiry, signature] = token.split('.');
  const otherSubject = `${purpose}.${Number(subject) + 1}.${expiry}.${signature}`;
  const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  const otherPurpose = new URL(unsubscribe).searchParams.get('t')!;
  for (const bad of [flipped, otherSubject, otherPurpose, 'garbage', '']) {
    const res = await h.inject({ url: `/newsletter/confirm?t=${encodeURIComponent(bad)}`, headers: { 'accept-language': 'fr' } });
    assert.equal(res.statusCode, 400, bad);
    assert.match(String(res.headers['content-type']), /^text\/html/, bad);
    assert.match(res.body, /<html lang="fr" dir="ltr">/, 'the error page follows the browser’s language');
    assert.equal(subscriptionsOf(h, String(body.email))[0]!.status, 'pending', bad);
  }
});

test('a confirm link expires after 7 days', async (t) => {
  const h = await harness(t);
  const body = subscription();
  const { confirm } = await subscribeAndMail(h, body);
  h.clock.advance(8 * DAY);
  const res = await h.inject({ url: pathOf(confirm) });
  assert.equal(res.statusCode, 400);
  assert.equal(subscriptionsOf(h, String(body.email))[0]!.status, 'pending');
});

test('unsubscribe: a GET (a link scanner) shows a button and changes nothing; the one-click POST unsubscribes, idempotently', async (t) => {
  const h = await harness(t);
  const body = subscription({ locale: 'fr' });
  const { confirm, unsubscribe, mail } = await subscribeAndMail(h, body);
  assert.equal(mail.unsubscribeUrl, unsubscribe, 'the List-Unsubscribe URL is the one in the text');
  await h.inject({ url: pathOf(confirm) });
  const confirmed = subscriptionsOf(h, String(body.email));
  assert.equal(confirmed[0]!.status, 'confirmed');

  for (let i = 0; i < 2; i++) {
    const page = await h.inject({ url: pathOf(unsubscribe) });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<html lang="fr" dir="ltr">/);
    assert.match(page.body, /<form method="post">/);
    assert.match(page.body, /<button type="submit">/);
    assert.deepEqual(subscriptionsOf(h, String(body.email)), confirmed, 'a GET does not unsubscribe');
  }

  h.clock.advance(HOUR);
  const oneClick = {
    method: 'POST' as const,
    url: pathOf(unsubscribe),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  };
  const res = await h.inject(oneClick);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<html lang="fr" dir="ltr">/);
  const [row] = subscriptionsOf(h, String(body.email));
  assert.equal(row!.status, 'unsubscribed');
  assert.equal(row!.unsubscribed_at, h.clock.now().toISOString());

  h.clock.advance(HOUR);
  const again = await h.inject(oneClick);
  assert.equal(again.statusCode, 200, 'a second POST is fine');
  assert.deepEqual(subscriptionsOf(h, String(body.email)), [row], 'and changes nothing');
});

test('a confirm link does not bring back an address that unsubscribed', async (t) => {
  const h = await harness(t);
  const body = subscription();
  const { confirm, unsubscribe } = await subscribeAndMail(h, body);
  await h.inject({
    method: 'POST',
    url: pathOf(unsubscribe),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });
  await h.inject({ url: pathOf(confirm) });
  assert.equal(subscriptionsOf(h, String(body.email))[0]!.status, 'unsubscribed');
});

test('an unsubscribe link with a bad token shows an error page and unsubscribes no one', async (t) => {
  const h = await harness(t);
  const body = subscription();
  const { unsubscribe } = await subscribeAndMail(h, body);
  const forged = unsubscribe.slice(0, -2) + (unsubscribe.endsWith('AA') ? 'BB' : 'AA');
  const res = await h.inject({
    method: 'POST',
    url: pathOf(forged),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });
  assert.equal(res.statusCode, 400);
  assert.equal(subscriptionsOf(h, String(body.email))[0]!.status, 'pending');
});

test('subscribing again while pending: same answer, no duplicate, a fresh confirmation mail', async (t) => {
  const h = await harness(t);
  const body = subscription();
  await subscribeAndMail(h, body);
  const before = h.counts();
  h.clock.advance(HOUR);
  const res = await h.subscribe({ ...body, consentText: 'Updated consent text' });
  assert.equal(res.statusCode, 202);
  assert.deepEqual(json(res), { status: 'pending_confirmation' });
  await h.drain();
  const after = h.counts();
  assert.equal(after.subscribers, before.subscribers);
  assert.equal(after.subscriptions, before.subscriptions);
  assert.equal(h.mails.length, 2, 'a new confirmation mail');
  const [row] = subscriptionsOf(h, String(body.email));
  assert.equal(row!.consent_text, 'Updated consent text', 'the latest consent is the one on record');
  assert.equal(row!.consent_at, h.clock.now().toISOString());
});

test('no enumeration: a confirmed address gets byte-for-byte the answer a new one gets, and no mail', async (t) => {
  const h = await harness(t);
  const known = subscription();
  const { confirm } = await subscribeAndMail(h, known);
  await h.inject({ url: pathOf(confirm) });
  const confirmedRow = subscriptionsOf(h, String(known.email));
  const mailsBefore = h.mails.length;

  const forKnown = await h.subscribe({ ...known, firstName: 'Somebody Else', locale: 'fr' });
  const forNew = await h.subscribe(subscription());
  const comparable = (r: typeof forKnown) => {
    const { date: _date, ...headers } = r.headers;
    return { status: r.statusCode, headers, body: r.rawPayload.toString('base64') };
  };
  assert.deepEqual(comparable(forKnown), comparable(forNew));

  await h.drain();
  assert.equal(h.mails.length, mailsBefore + 1, 'only the new address gets a mail');
  assert.notEqual(h.mails.at(-1)!.to, known.email);
  assert.deepEqual(subscriptionsOf(h, String(known.email)), confirmedRow, 'an anonymous request changes nothing on a confirmed address');
});

test('mail bomb guard: at most 5 confirmation mails per address per day, and the answer never changes', async (t) => {
  const h = await harness(t);
  const body = subscription();
  const first = await h.subscribe(body);
  await h.drain();
  for (let i = 0; i < 7; i++) {
    h.clock.advance(HOUR);
    const res = await h.subscribe(body);
    assert.equal(res.statusCode, first.statusCode);
    assert.equal(res.body, first.body);
    await h.drain();
  }
  assert.equal(h.mails.length, 5);
  assert.ok(h.mails.every((m) => m.to === body.email));

  h.clock.advance(DAY);
  await h.subscribe(body);
  await h.drain();
  assert.equal(h.mails.length, 6, 'a day later the address may get a mail again');
});

test('honeypot: a filled `website` field gets the normal answer, and nothing is written or sent', async (t) => {
  const h = await harness(t);
  const before = h.counts();
  const res = await h.subscribe(subscription({ website: 'https://cheap-pills.example' }));
  assert.equal(res.statusCode, 202);
  assert.deepEqual(json(res), { status: 'pending_confirmation' });
  assert.deepEqual(h.counts(), before);
  assert.equal(await h.drain(), 0);
  assert.equal(h.mails.length, 0);

  const person = await h.subscribe(subscription({ website: '' }));
  assert.equal(person.statusCode, 202);
  assert.equal(h.counts().subscribers, before.subscribers + 1, 'an empty honeypot is a person');
});

test('Idempotency-Key: a retry gets the first answer and writes nothing twice', async (t) => {
  const h = await harness(t);
  const body = subscription();
  const key = 'b2c5f0e4-7a1d-4c3e-9a57-1f0e2d3c4b5a';
  const first = await h.subscribe(body, { 'idempotency-key': key });
  const afterFirst = h.counts();
  const retry = await h.subscribe(body, { 'idempotency-key': key });
  assert.equal(first.statusCode, 202);
  assert.equal(retry.statusCode, first.statusCode);
  assert.equal(retry.body, first.body);
  assert.equal(retry.headers['idempotent-replayed'], 'true');
  assert.deepEqual(h.counts(), afterFirst, 'the retry wrote nothing');
  await h.drain();
  assert.equal(h.mails.length, 1);
  assert.equal(subscriptionsOf(h, String(body.email)).length, 1);
});

test('Idempotency-Key reused with a different body → 422 idempotency_conflict, nothing written', async (t) => {
  const h = await harness(t);
  const key = 'order-42';
  await h.subscribe(subscription(), { 'idempotency-key': key });
  const before = h.counts();
  const other = subscription();
  const res = await h.subscribe(other, { 'idempotency-key': key });
  assert.equal(res.statusCode, 422);
  assert.equal(json(res).error.code, 'idempotency_conflict');
  assert.deepEqual(h.counts(), before);
  assert.equal(subscriptionsOf(h, String(other.email)).length, 0);
});

test('an invalid Idempotency-Key → 400 naming the header, nothing written', async (t) => {
  const h = await harness(t);
  const before = h.counts();
  for (const key of ['k'.repeat(129), 'has spaces', 'ümlaut']) {
    const res = await h.subscribe(subscription(), { 'idempotency-key': key });
    assert.equal(res.statusCode, 400, key);
    assert.ok(json(res).error.fields['Idempotency-Key'], res.body);
  }
  assert.deepEqual(h.counts(), before);
  const longest = await h.subscribe(subscription(), { 'idempotency-key': 'k'.repeat(128) });
  assert.equal(longest.statusCode, 202, '128 characters is allowed');
});

test('an anonymous request that adds a list never rewrites a confirmed supporter’s name or language', async (t) => {
  const h = await harness(t);
  const known = subscription({ firstName: 'Beatriz', locale: 'es', lists: ['weekly-bulletin'] });
  const { confirm } = await subscribeAndMail(h, known);
  await h.inject({ url: pathOf(confirm) });
  await h.subscribe({ ...known, firstName: 'Mallory', locale: 'fr', lists: ['urgent-actions'] });
  const [person] = h.rows('select first_name, locale from subscribers where email = ?', String(known.email).toLowerCase());
  assert.deepEqual({ ...person }, { first_name: 'Beatriz', locale: 'es' });
});

test('a confirm link confirms only the lists it was sent for, not lists someone added later', async (t) => {
  const h = await harness(t);
  const body = subscription({ lists: ['weekly-bulletin'] });
  const { confirm } = await subscribeAndMail(h, body);
  await h.subscribe({ ...body, lists: ['urgent-actions'] }); // someone else adds a list before the click
  await h.inject({ url: pathOf(confirm) });
  const statuses = Object.fromEntries(subscriptionsOf(h, String(body.email)).map((r) => [r.slug, r.status]));
  assert.deepEqual(statuses, { 'weekly-bulletin': 'confirmed', 'urgent-actions': 'pending' });
});

test('every accepted request writes the same way, known address or not (no timing oracle)', async (t) => {
  const h = await harness(t);
  const known = subscription();
  const { confirm } = await subscribeAndMail(h, known);
  await h.inject({ url: pathOf(confirm) });
  const jobs = () => h.rows('select count(*) as n from jobs')[0]!.n as number;
  const before = jobs();
  await h.subscribe(known);
  assert.equal(jobs(), before + 1, 'a confirmed address gets a job written like a new one');
  await h.drain();
});

test('unconfirmed signups are deleted when their link expires; confirmed supporters stay', async (t) => {
  const h = await harness(t);
  const stranger = subscription();
  await subscribeAndMail(h, stranger);
  const supporter = subscription();
  const { confirm } = await subscribeAndMail(h, supporter);
  await h.inject({ url: pathOf(confirm) });
  h.clock.advance(8 * DAY);
  await h.drain();
  const emails = h.rows('select email from subscribers').map((r) => r.email);
  assert.deepEqual(emails, [String(supporter.email).toLowerCase()]);
});

test('one-click unsubscribe accepts multipart/form-data (RFC 8058) and is never rate-limited per address', async (t) => {
  // Mail providers send every one-click unsubscribe from a few shared addresses.
  const h = await harness(t, { env: { COMPA_RATE_LIMIT_WRITE_MAX: '3' } });
  const links: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { unsubscribe } = await subscribeAndMail(h, subscription(), { remoteAddress: `192.0.2.${i + 1}` });
    links.push(unsubscribe);
  }
  const boundary = 'compa-boundary';
  for (let round = 0; round < 2; round++) {
    for (const link of links) {
      const res = await h.inject({
        method: 'POST',
        url: pathOf(link),
        remoteAddress: '203.0.113.50',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
      });
      assert.equal(res.statusCode, 200, res.body);
    }
  }
  const statuses = h.rows('select status from subscriptions').map((r) => r.status);
  assert.deepEqual([...new Set(statuses)], ['unsubscribed']);
});
