/**
 * Petitions as supporters meet them: reading a petition in their language, signing with one click, the receipt
 * with its "It wasn't me" link, verify-before-count, "keep me informed" through the newsletter's double opt-in,
 * one-click action links, closed petitions, the cacheable count, and logs without personal data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Selectable } from 'kysely';
import type { Database } from '../../src/server/store/schema.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorBodySchema } from '../../src/schemas/errors.ts';
import { PetitionCountSchema, PetitionSchema } from '../../src/schemas/petition.ts';
import { actionToken, sanitizeRichText } from '../../src/server/petitions/service.ts';
import { MAILS_PER_SIGNATURE } from '../../src/server/store/sign-batch.ts';
import type { PetitionRecord } from '../../src/server/store/store.ts';
import {
  CLOSED_PETITION,
  DAY,
  OPEN_PETITION,
  REPO_ROOT,
  changePetition,
  countedRows,
  createPetition,
  harness,
  json,
  linkIn,
  pathOf,
  signature,
  storedCount,
  tokenOf,
  type Harness,
} from './helpers.ts';

const catalogue = (locale: string): Record<string, string> =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'locales/server', `${locale}.json`), 'utf8'));
const fill = (text: string, vars: Record<string, string>) => text.replace(/\{(\w+)\}/g, (w, k: string) => vars[k] ?? w);

/** A signature as `h.rows` reads it: personal columns in clear, the address as `email`. */
type SignatureRow = Selectable<Database['signatures']> & { email: string };

const signaturesOf = (h: Harness, email?: string) =>
  email === undefined
    ? h.rows<SignatureRow>('select * from signatures order by id')
    : h.rows<SignatureRow>('select * from signatures where email = ? order by id', email);


async function getPetition(h: Harness, slug: string, locale?: string) {
  const res = await h.inject({ url: `/api/v1/petitions/${slug}${locale ? `?locale=${locale}` : ''}` });
  assert.equal(res.statusCode, 200, res.body);
  return PetitionSchema.parse(json(res));
}

async function getCount(h: Harness, slug: string) {
  const res = await h.inject({ url: `/api/v1/petitions/${slug}/count` });
  assert.equal(res.statusCode, 200, res.body);
  return PetitionCountSchema.parse(json(res));
}

function assertError(res: { statusCode: number; body: string }, status: number, code: string, fields: string[] = []): void {
  assert.equal(res.statusCode, status, res.body);
  const body = JSON.parse(res.body);
  assert.ok(ErrorBodySchema.safeParse(body).success, `the error shape: ${res.body}`);
  assert.equal(body.error.code, code, res.body);
  for (const f of fields) assert.ok(body.error.fields && Object.hasOwn(body.error.fields, f), `error.fields names ${f}: ${res.body}`);
}

/** A supporter of the newsletter (what action links are mailed to), confirmed on `urgent-actions`. */
async function supporter(h: Harness, email: string, firstName: string | null): Promise<number> {
  const store = h.app.compa.store;
  const list = (await store.listLists({ publicOnly: false })).find((l) => l.slug === 'urgent-actions')!;
  const r = await store.subscribe({
    email,
    firstName,
    locale: 'es',
    listIds: [list.id],
    consentText: 'Send me urgent actions.',
    consentLocale: 'es',
    now: h.clock.now(),
  });
  await store.confirm(r.subscriberId, [list.id], h.clock.now());
  return r.subscriberId;
}

/** An open petition that counts a signature only once its emailed link is used. */
const verifyPetition = (h: Harness, extra: Partial<PetitionRecord> = {}) =>
  createPetition(h, { verification: 'email', deadline: new Date(h.clock.now().getTime() + 30 * DAY), ...extra });

/** Signs, runs the mail jobs, and returns the receipt and its links. */
async function signAndReceipt(h: Harness, slug: string, body: Record<string, unknown>) {
  const res = await h.sign(slug, body);
  assert.equal(res.statusCode, 202, res.body);
  const before = h.mails.length;
  await h.drain();
  const receipts = h.mails.slice(before).filter((m) => m.to === String(body.email).toLowerCase());
  assert.equal(receipts.length, 1, 'one receipt');
  const mail = receipts[0]!;
  const pub = h.config.publicUrl;
  return {
    res,
    mail,
    notMe: linkIn(mail.text, pub, '/petitions/not-me'),
    confirm: mail.text.includes(`${pub}/petitions/confirm?t=`) ? linkIn(mail.text, pub, '/petitions/confirm') : null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// 1. Reading

test('a petition comes in the requested language, a regional tag gets its language, others fall back to English (marked)', async (t) => {
  const h = await harness(t);
  const es = await getPetition(h, OPEN_PETITION, 'es-CO');
  assert.equal(es.locale, 'es');
  assert.equal(es.fallback, false);
  assert.equal(es.title, 'Protejamos a las defensoras del agua de Río Verde');
  assert.equal(es.target, 'el Ministro del Interior');
  assert.deepEqual([...es.locales].sort(), ['en', 'es', 'fr']);

  const fr = await getPetition(h, OPEN_PETITION, 'fr');
  assert.equal(fr.locale, 'fr');
  assert.equal(fr.fallback, false);
  assert.match(fr.title, /^Protégeons/);

  const de = await getPetition(h, OPEN_PETITION, 'de');
  assert.equal(de.locale, 'en');
  assert.equal(de.title, 'Protect the water defenders of Río Verde');

  const none = await getPetition(h, OPEN_PETITION);
  assert.equal(none.locale, 'en');
  assert.equal(none.fallback, false);
  assert.equal(fr.shareText.includes(fr.title), true, 'the share text is in the same language as the title');

  // A petition published only in Spanish is shown in Spanish, marked as a fallback, to an English reader.
  const only = await createPetition(h, {
    texts: { es: { title: 'Solo en español', summary: 'Resumen', body: '<p>Texto</p>', target: 'el Alcalde', outcome: null } },
  });
  const en = await getPetition(h, only.slug, 'en');
  assert.equal(en.locale, 'es');
  assert.equal(en.fallback, true);
  assert.equal(en.title, 'Solo en español');
});

test(
  'a language the petition lacks is marked as a fallback (locale=de → English, fallback true)',
  async (t) => {
    const h = await harness(t);
    const de = await getPetition(h, OPEN_PETITION, 'de');
    assert.equal(de.locale, 'en');
    assert.equal(de.fallback, true, 'German was asked for and English is shown: the widget must know');
  },
);

test(
  'a petition published in a language the server’s messages lack is still shown in it (pt-BR → pt)',
  async (t) => {
    const h = await harness(t);
    const p = await createPetition(h, {
      texts: {
        en: { title: 'Free the defenders', summary: 'S', body: '<p>B</p>', target: 'T', outcome: null },
        pt: { title: 'Libertem os defensores', summary: 'S', body: '<p>B</p>', target: 'T', outcome: null },
      },
    });
    const pt = await getPetition(h, p.slug, 'pt-BR');
    assert.equal(pt.locale, 'pt');
    assert.equal(pt.title, 'Libertem os defensores');
    assert.equal(pt.fallback, false);
  },
);

test('the open demo petition: status, deadline, goal, settings and its list; nothing personal in it', async (t) => {
  const h = await harness(t);
  const p = await getPetition(h, OPEN_PETITION, 'en');
  assert.equal(p.slug, OPEN_PETITION);
  assert.equal(p.status, 'open');
  assert.equal(p.deadline, new Date(h.clock.now().getTime() + 30 * DAY).toISOString());
  assert.equal(p.goal, 5000);
  assert.equal(p.verification, 'none');
  assert.equal(p.lastName, 'optional');
  assert.equal(p.outcome, null);
  assert.deepEqual(p.keepInformed, { list: 'urgent-actions', name: 'Urgent actions' });
  assert.equal((await getPetition(h, OPEN_PETITION, 'es')).keepInformed?.name, 'Acciones urgentes', 'the list name in the reader’s language');
  assert.equal(p.count, 0);
});

test('a closed petition shows its outcome and settings; a petition past its deadline shows as closed', async (t) => {
  const h = await harness(t);
  const closed = await getPetition(h, CLOSED_PETITION, 'es');
  assert.equal(closed.status, 'closed');
  assert.match(closed.outcome ?? '', /^Buenas noticias: María López quedó en libertad/);
  assert.equal(closed.verification, 'email');
  assert.equal(closed.lastName, 'required');
  assert.equal(closed.countThreshold, 100);

  assert.equal((await getPetition(h, OPEN_PETITION)).status, 'open');
  h.clock.advance(30 * DAY); // exactly at the deadline
  assert.equal((await getPetition(h, OPEN_PETITION)).status, 'closed');
  assert.equal((await getCount(h, OPEN_PETITION)).status, 'closed');
});

test('drafts and unknown petitions are 404 in the JSON error shape, on every petition route, and nothing is written', async (t) => {
  const h = await harness(t);
  const draft = await createPetition(h, { status: 'draft' });
  const before = h.counts();
  for (const slug of [draft.slug, 'no-such-petition']) {
    for (const url of [`/api/v1/petitions/${slug}`, `/api/v1/petitions/${slug}/count`, `/api/v1/petitions/${slug}/events`, `/api/v1/petitions/${slug}/supporter?t=x`]) {
      const res = await h.inject({ url });
      assertError(res, 404, 'not_found');
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.ok(!res.body.includes('San Isidro'), 'a draft’s text does not leak');
    }
    assertError(await h.sign(slug, signature()), 404, 'not_found');
  }
  assert.deepEqual(h.counts(), before);
  assert.equal(await h.drain(), 0);
});

test('the petition body keeps the allowlisted markup and its http(s)/mailto links', async (t) => {
  const h = await harness(t);
  const p = await createPetition(h, {
    texts: {
      en: {
        title: 'T',
        summary: 'S',
        body: sanitizeRichText(
          '<h3>What happened</h3><p>A <strong>leader</strong> was <em>threatened</em>.</p><ul><li>one</li></ul><blockquote>quote</blockquote>' +
            '<p><a href="https://ngo.example/report">Report</a> <a href="mailto:info@ngo.example">Write</a></p>',
        ),
        target: 'X',
        outcome: null,
      },
    },
  });
  const { bodyHtml } = await getPetition(h, p.slug);
  for (const kept of ['<h3>What happened</h3>', '<strong>leader</strong>', '<em>threatened</em>', '<li>one</li>', '<blockquote>quote</blockquote>']) {
    assert.ok(bodyHtml.includes(kept), `${kept} kept: ${bodyHtml}`);
  }
  const links = [...bodyHtml.matchAll(/<a [^>]*>/g)].map((m) => m[0]);
  assert.equal(links.length, 2, bodyHtml);
  for (const a of links) assert.match(a, /href="(https:\/\/ngo\.example\/report|mailto:info@ngo\.example)"/);
});

test(
  'links in a petition body open safely: rel="noopener noreferrer" is added (and kept)',
  () => {
    const html = sanitizeRichText('<p><a href="https://ngo.example/report" rel="opener" target="_self">Report</a></p>');
    assert.match(html, /<a href="https:\/\/ngo\.example\/report"[^>]* rel="noopener noreferrer"/, html);
    assert.doesNotMatch(html, /rel="opener"/);
  },
);

const HOSTILE_BODY =
  '<p style="background:url(https://tracker.example/p.gif)" onclick="steal()">Hello</p>' +
  '<script>alert(1)</script><img src="https://tracker.example/pixel.gif" onerror="alert(2)">' +
  '<iframe src="https://evil.example/"></iframe><a href="javascript:alert(3)">click</a>' +
  '<a href="https://ngo.example/" onmouseover="alert(4)" style="color:red">ok</a><style>p{}</style>' +
  '<svg onload="alert(5)"></svg><form action="https://evil.example/"><input name="pw"></form>';

function assertSafe(bodyHtml: string): void {
  for (const bad of [/<script/i, /alert\(/, /onerror=/i, /onclick=/i, /onmouseover=/i, /onload=/i, /javascript:/i, /<img/i, /<iframe/i, /<style/i, /style=/i, /<svg/i, /<form/i, /<input/i, /tracker\.example/, /evil\.example/]) {
    assert.doesNotMatch(bodyHtml, bad, `${bad} removed: ${bodyHtml}`);
  }
  assert.match(bodyHtml, /<p>Hello<\/p>/);
  assert.match(bodyHtml, /<a href="https:\/\/ngo\.example\/"[^>]*>ok<\/a>/, 'the safe link is kept');
}

test('sanitizeRichText drops scripts, handlers, javascript: links, images, iframes, styles and forms', () => {
  assertSafe(sanitizeRichText(HOSTILE_BODY));
});

test(
  'a petition body stored with hostile markup is served sanitised (the server sanitises whatever wrote the petition)',
  async (t) => {
    const h = await harness(t);
    const p = await createPetition(h, { texts: { en: { title: 'T', summary: 'S', body: HOSTILE_BODY, target: 'X', outcome: null } } });
    assertSafe((await getPetition(h, p.slug)).bodyHtml);
  },
);

test('the count shown equals the counted rows (pending signatures do not count)', async (t) => {
  const h = await harness(t);
  const verify = await verifyPetition(h);
  assert.equal((await getPetition(h, OPEN_PETITION)).count, 0);
  assert.equal((await getCount(h, verify.slug)).count, 0);
  for (let i = 0; i < 3; i++) assert.equal((await h.sign(OPEN_PETITION, signature())).statusCode, 202);
  for (let i = 0; i < 2; i++) assert.equal((await h.sign(verify.slug, signature())).statusCode, 202);
  assert.equal(countedRows(h, OPEN_PETITION), 3);
  assert.equal(storedCount(h, OPEN_PETITION), 3);
  assert.equal((await getPetition(h, OPEN_PETITION)).count, 3);
  assert.equal((await getCount(h, OPEN_PETITION)).count, 3);
  assert.equal((await getCount(h, verify.slug)).count, 0);
  assert.equal(countedRows(h, verify.slug), 0);
});

test(
  'the first read after a restart shows signatures made before it (no read before the first signature)',
  async (t) => {
    const h = await harness(t);
    // A fresh process: nobody has read this petition yet when the first supporter signs.
    assert.equal((await h.sign(OPEN_PETITION, signature())).statusCode, 202);
    assert.equal(storedCount(h, OPEN_PETITION), 1);
    assert.equal((await getCount(h, OPEN_PETITION)).count, 1);
    assert.equal((await getPetition(h, OPEN_PETITION)).count, 1);
  },
);

// ---------------------------------------------------------------------------------------------------------
// 2. Signing

test('signing counts at once: 202 counted, the count rises, and the row holds exactly what was given', async (t) => {
  const h = await harness(t);
  assert.equal((await getCount(h, OPEN_PETITION)).count, 0);
  const at = h.clock.now().toISOString();
  const res = await h.sign(
    OPEN_PETITION,
    signature({ email: 'Ana.Lucia@Example.ORG', firstName: ' Ana Lucía ', lastName: 'Gómez', country: 'CO', comment: 'Fuerza.\nDesde Bogotá', locale: 'es-CO' }),
  );
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(json(res), { status: 'counted', count: 0 }, 'the answer carries the count before this signature');
  assert.equal((await getCount(h, OPEN_PETITION)).count, 1);
  assert.equal((await getPetition(h, OPEN_PETITION)).count, 1);

  const rows = signaturesOf(h);
  assert.equal(rows.length, 1);
  const row = rows[0]!;
  assert.equal(row.email, 'ana.lucia@example.org', 'normalised address');
  assert.equal(row.first_name, 'Ana Lucía', 'trimmed');
  assert.equal(row.last_name, 'Gómez');
  assert.equal(row.country, 'CO');
  assert.equal(row.comment, 'Fuerza.\nDesde Bogotá', 'a comment keeps its line breaks');
  assert.equal(row.locale, 'es');
  assert.equal(row.status, 'counted');
  assert.equal(row.source, 'form');
  assert.equal(row.keep_informed, 0);
  assert.equal(row.consent_text, null);
  assert.equal(row.created_at, at);
  assert.equal(row.confirmed_at, at);
  assert.equal(storedCount(h, OPEN_PETITION), 1);
});

test('optional fields are optional: no last name, no comment', async (t) => {
  const h = await harness(t);
  const res = await h.sign(OPEN_PETITION, { firstName: 'Li', email: 'li@example.org', country: 'FR', locale: 'fr' });
  assert.equal(res.statusCode, 202, res.body);
  const row = signaturesOf(h)[0]!;
  assert.equal(row.last_name, null);
  assert.equal(row.comment, null);
});

test('a last name sent to a petition that hides it is not stored (minimal data)', async (t) => {
  const h = await harness(t);
  const p = await createPetition(h, { lastName: 'hidden' });
  const res = await h.sign(p.slug, signature({ lastName: 'Secret' }));
  assert.ok(res.statusCode === 202 || res.statusCode === 400, res.body);
  if (res.statusCode === 400) assertError(res, 400, 'invalid_body', ['lastName']);
  assert.ok(!h.rows<{ last_name: string | null }>('select last_name from signatures').some((r) => r.last_name), 'no last name stored');
});

test('the receipt is in the signer’s language, carries an "It wasn’t me" link and never the name typed in the form', async (t) => {
  const h = await harness(t);
  const { mail, notMe, confirm } = await signAndReceipt(
    h,
    OPEN_PETITION,
    signature({ email: 'Zoe@Example.org', firstName: 'Zacarías', lastName: 'Quiñónez', comment: 'Un comentario privado', locale: 'es-CO' }),
  );
  assert.equal(mail.to, 'zoe@example.org');
  assert.equal(mail.locale, 'es');
  assert.equal(mail.subject, fill(catalogue('es')['mail.sign.thanks.subject']!, { title: 'Protejamos a las defensoras del agua de Río Verde' }));
  assert.equal(confirm, null, 'a counted signature needs no confirmation');
  assert.ok(notMe.startsWith(`${h.config.publicUrl}/petitions/not-me?t=`));
  assert.ok(mail.html.includes('/petitions/not-me?t='), 'the link is in the HTML part too');
  assert.equal(mail.unsubscribeUrl, undefined, 'a receipt is not list mail');
  for (const part of [mail.subject, mail.text, mail.html]) {
    for (const personal of ['Zacarías', 'Quiñónez', 'Un comentario privado']) {
      assert.ok(!part.includes(personal), `the receipt does not repeat "${personal}" (typed by whoever used the address)`);
    }
  }
  assert.ok(mail.text.includes(fill(catalogue('es')['mail.sign.why']!, { organisation: h.config.organisation })), 'it says signing subscribes to nothing');
});

test('signing again with the same address (other case): the same answer, count unchanged, no second row or receipt', async (t) => {
  const h = await harness(t);
  await getCount(h, OPEN_PETITION); // the widget reads the petition before anyone signs
  const first = await h.sign(OPEN_PETITION, signature({ email: 'repeat@example.org', firstName: 'Ana' }));
  assert.equal(first.statusCode, 202);
  await h.drain();
  const mails = h.mails.length;
  const before = h.counts();

  const countNow = (await getCount(h, OPEN_PETITION)).count;
  const again = await h.sign(OPEN_PETITION, signature({ email: 'REPEAT@Example.org', firstName: 'Someone else', comment: 'changed' }));
  assert.equal(again.statusCode, 202, again.body);
  // Exactly what a new address signing at this moment gets: the status and the count before the request.
  assert.deepEqual(json(again), { status: 'counted', count: countNow }, 'no answer reveals that the address had signed');
  assert.deepEqual(h.counts(), before, 'nothing written');
  assert.equal(await h.drain(), 0, 'no job');
  assert.equal(h.mails.length, mails, 'no second receipt for a counted signature');
  const row = signaturesOf(h, 'repeat@example.org')[0]!;
  assert.equal(row.first_name, 'Ana', 'a repeat cannot rewrite the signature');
  assert.equal(row.comment, null);
  assert.equal((await getCount(h, OPEN_PETITION)).count, 1);
});

test('an idempotent retry gets the first answer, marked as replayed, and writes nothing; another body with the key is a 422', async (t) => {
  const h = await harness(t);
  await getCount(h, OPEN_PETITION);
  const body = signature();
  const key = 'sig-retry-1';
  const first = await h.sign(OPEN_PETITION, body, { 'idempotency-key': key });
  assert.equal(first.statusCode, 202);
  assert.equal(first.headers['idempotent-replayed'], undefined);
  // Others sign meanwhile: the replay still carries the first answer.
  await h.sign(OPEN_PETITION, signature());
  const before = h.counts();
  await h.drain();
  const mails = h.mails.length;
  const jobsBefore = h.counts().jobs;

  const replay = await h.sign(OPEN_PETITION, body, { 'idempotency-key': key });
  assert.equal(replay.statusCode, 202);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.deepEqual(json(replay), json(first));
  assert.deepEqual(h.counts(), { ...before, jobs: jobsBefore });
  assert.equal(await h.drain(), 0);
  assert.equal(h.mails.length, mails);

  const other = await h.sign(OPEN_PETITION, signature(), { 'idempotency-key': key });
  assertError(other, 422, 'idempotency_conflict');
  assert.deepEqual(h.counts(), { ...before, jobs: jobsBefore });
  assert.equal(await h.drain(), 0);
  assert.equal((await getCount(h, OPEN_PETITION)).count, 2);
});

test(
  'a retry with the same key after the petition closed still gets its first answer (the signature was taken)',
  async (t) => {
    const h = await harness(t);
    const body = signature();
    const first = await h.sign(OPEN_PETITION, body, { 'idempotency-key': 'late-retry' });
    assert.equal(first.statusCode, 202);
    h.clock.advance(31 * DAY);
    const retry = await h.sign(OPEN_PETITION, body, { 'idempotency-key': 'late-retry' });
    assert.equal(retry.statusCode, 202, retry.body);
    assert.deepEqual(json(retry), json(first));
  },
);

test('verify-before-count: pending until the confirm link’s POST; a GET (link scanner) changes nothing; confirming twice is harmless', async (t) => {
  const h = await harness(t);
  const p = await verifyPetition(h);
  const before = await getCount(h, p.slug);
  const { res, mail, confirm, notMe } = await signAndReceipt(h, p.slug, signature({ email: 'verify@example.org', firstName: 'Ulises', locale: 'fr' }));
  assert.deepEqual(json(res), { status: 'pending_verification', count: before.count });
  assert.equal((await getCount(h, p.slug)).count, before.count, 'not counted yet');
  assert.equal(signaturesOf(h, 'verify@example.org')[0]!.status, 'pending');
  assert.equal(mail.locale, 'fr');
  assert.equal(mail.subject, fill(catalogue('fr')['mail.sign.confirm.subject']!, { title: p.texts.en!.title }));
  assert.ok(confirm, 'the receipt carries a confirm link');
  assert.ok(notMe, 'and an "It wasn’t me" link');
  assert.ok(!mail.text.includes('Ulises') && !mail.html.includes('Ulises'));

  // A mail scanner follows the link: a page with a button, nothing changes.
  const snapshot = h.counts();
  for (let i = 0; i < 3; i++) {
    const get = await h.inject({ url: pathOf(confirm!) });
    assert.equal(get.statusCode, 200);
    assert.match(String(get.headers['content-type']), /^text\/html/);
    assert.match(get.body, /<form method="post">/);
  }
  assert.deepEqual(h.counts(), snapshot);
  assert.equal(signaturesOf(h, 'verify@example.org')[0]!.status, 'pending');
  assert.equal((await getCount(h, p.slug)).count, before.count);

  const post = await h.inject({ method: 'POST', url: pathOf(confirm!) });
  assert.equal(post.statusCode, 200);
  assert.ok(post.body.includes(catalogue('fr')['page.sign.confirmed.title']!), 'the page is in the signer’s language');
  const row = signaturesOf(h, 'verify@example.org')[0]!;
  assert.equal(row.status, 'counted');
  assert.equal(row.confirmed_at, h.clock.now().toISOString());
  assert.equal((await getCount(h, p.slug)).count, before.count + 1);
  assert.equal(storedCount(h, p.slug), before.count + 1);

  const twice = await h.inject({ method: 'POST', url: pathOf(confirm!) });
  assert.equal(twice.statusCode, 200);
  assert.equal((await getCount(h, p.slug)).count, before.count + 1, 'confirming twice counts once');
  assert.equal(storedCount(h, p.slug), countedRows(h, p.slug));
  const later = await h.inject({ url: pathOf(confirm!) });
  assert.ok(later.body.includes(catalogue('fr')['page.sign.confirmed.title']!), 'the link now says it is done');
});

test('an unconfirmed signer who signs again gets the confirm link again, a few times at most', async (t) => {
  const h = await harness(t);
  const p = await verifyPetition(h);
  await getCount(h, p.slug);
  const body = signature({ email: 'forgetful@example.org' });
  for (let i = 0; i < MAILS_PER_SIGNATURE + 4; i++) {
    const res = await h.sign(p.slug, { ...body, email: i % 2 ? 'Forgetful@Example.org' : body.email });
    assert.equal(res.statusCode, 202);
    assert.deepEqual(json(res), { status: 'pending_verification', count: 0 });
    await h.drain();
  }
  const mails = h.mails.filter((m) => m.to === 'forgetful@example.org');
  assert.equal(mails.length, MAILS_PER_SIGNATURE, `at most ${MAILS_PER_SIGNATURE} confirm mails for one signature`);
  for (const m of mails) linkIn(m.text, h.config.publicUrl, '/petitions/confirm');
  assert.equal(signaturesOf(h, 'forgetful@example.org').length, 1);
  // Every link sent works.
  const last = linkIn(mails.at(-1)!.text, h.config.publicUrl, '/petitions/confirm');
  assert.equal((await h.inject({ method: 'POST', url: pathOf(last) })).statusCode, 200);
  assert.equal((await getCount(h, p.slug)).count, 1);
});

test('a confirm link used after the petition closed does not count', async (t) => {
  const h = await harness(t);
  const p = await verifyPetition(h, { deadline: new Date(h.clock.now().getTime() + DAY) });
  await getCount(h, p.slug);
  const { confirm } = await signAndReceipt(h, p.slug, signature({ email: 'late@example.org' }));
  h.clock.advance(DAY + 1000); // the petition closed; the link (7 days) is still valid
  const post = await h.inject({ method: 'POST', url: pathOf(confirm!) });
  assert.equal(post.statusCode, 200);
  assert.ok(post.body.includes(catalogue('en')['page.sign.closed.title']!), post.body);
  assert.equal(signaturesOf(h, 'late@example.org')[0]!.status, 'pending');
  assert.equal(storedCount(h, p.slug), 0);
  assert.equal((await getCount(h, p.slug)).count, 0);

  // Closed by the organisation (no deadline involved) works the same way.
  const q = await verifyPetition(h);
  const second = await signAndReceipt(h, q.slug, signature({ email: 'late2@example.org' }));
  await changePetition(h, q.slug, { status: 'closed' });
  await h.inject({ method: 'POST', url: pathOf(second.confirm!) });
  assert.equal(signaturesOf(h, 'late2@example.org')[0]!.status, 'pending');
  assert.equal(storedCount(h, q.slug), 0);
});

test('a confirm link expires after 7 days and the unconfirmed signature is deleted', async (t) => {
  const h = await harness(t);
  const p = await verifyPetition(h);
  const { confirm } = await signAndReceipt(h, p.slug, signature({ email: 'never@example.org', firstName: 'Never' }));
  h.clock.advance(7 * DAY + 60_000);
  const post = await h.inject({ method: 'POST', url: pathOf(confirm!) });
  assert.equal(post.statusCode, 400);
  await h.drain(); // housekeeping runs on the job loop
  assert.equal(signaturesOf(h, 'never@example.org').length, 0, 'personal data of an unconfirmed signature is gone');
  assert.equal(storedCount(h, p.slug), 0);
});

test('"It wasn’t me": a GET changes nothing; the POST deletes the signature and lowers the count; the link is then spent', async (t) => {
  const h = await harness(t);
  await getCount(h, OPEN_PETITION);
  await h.sign(OPEN_PETITION, signature());
  const { notMe } = await signAndReceipt(
    h,
    OPEN_PETITION,
    signature({ email: 'victim@example.org', firstName: 'Impostor', lastName: 'Name', comment: 'Typed by someone else', locale: 'es' }),
  );
  assert.equal((await getCount(h, OPEN_PETITION)).count, 2);

  const snapshot = h.counts();
  const get = await h.inject({ url: pathOf(notMe) });
  assert.equal(get.statusCode, 200);
  assert.match(get.body, /<form method="post">/);
  assert.ok(get.body.includes(catalogue('es')['page.sign.remove.button']!), 'in the signer’s language');
  assert.deepEqual(h.counts(), snapshot, 'a scanner’s GET removes nothing');
  assert.equal((await getCount(h, OPEN_PETITION)).count, 2);

  const post = await h.inject({ method: 'POST', url: pathOf(notMe) });
  assert.equal(post.statusCode, 200);
  assert.ok(post.body.includes(catalogue('es')['page.sign.removed.title']!));
  assert.equal(signaturesOf(h, 'victim@example.org').length, 0, 'the row is gone');
  const everything = JSON.stringify(h.rows('select * from signatures')) + JSON.stringify(h.rows('select * from jobs')) + JSON.stringify(h.rows('select * from idempotency_keys'));
  for (const personal of ['victim@example.org', 'Impostor', 'Typed by someone else']) assert.ok(!everything.includes(personal), `${personal} is gone`);
  assert.equal((await getCount(h, OPEN_PETITION)).count, 1);
  assert.equal(storedCount(h, OPEN_PETITION), 1);

  const again = await h.inject({ method: 'POST', url: pathOf(notMe) });
  assert.equal(again.statusCode, 400);
  assert.ok(again.body.includes(catalogue('en')['page.sign.invalid']!), 'the second POST says the link is spent');
  assert.equal((await getCount(h, OPEN_PETITION)).count, 1, 'and lowers nothing twice');

  // The owner of the address may sign for real afterwards.
  assert.equal((await h.sign(OPEN_PETITION, signature({ email: 'victim@example.org' }))).statusCode, 202);
  assert.equal((await getCount(h, OPEN_PETITION)).count, 2);
});

test('"It wasn’t me" on a pending signature deletes it without touching the count; its confirm link is then dead', async (t) => {
  const h = await harness(t);
  const p = await verifyPetition(h);
  await getCount(h, p.slug);
  const { notMe, confirm } = await signAndReceipt(h, p.slug, signature({ email: 'pending-victim@example.org' }));
  assert.equal((await h.inject({ method: 'POST', url: pathOf(notMe) })).statusCode, 200);
  assert.equal(signaturesOf(h, 'pending-victim@example.org').length, 0);
  assert.equal(storedCount(h, p.slug), 0);
  const post = await h.inject({ method: 'POST', url: pathOf(confirm!) });
  assert.equal(post.statusCode, 400);
  assert.equal(storedCount(h, p.slug), 0);
  assert.equal((await getCount(h, p.slug)).count, 0);
});

test('"It wasn’t me" still works months later and after the petition closed (removing personal data never expires early)', async (t) => {
  const h = await harness(t);
  await getCount(h, OPEN_PETITION);
  const { notMe } = await signAndReceipt(h, OPEN_PETITION, signature({ email: 'months@example.org' }));
  h.clock.advance(100 * DAY); // the petition closed 70 days ago
  assert.equal((await getPetition(h, OPEN_PETITION)).status, 'closed');
  const post = await h.inject({ method: 'POST', url: pathOf(notMe) });
  assert.equal(post.statusCode, 200);
  assert.equal(signaturesOf(h, 'months@example.org').length, 0);
  assert.equal(storedCount(h, OPEN_PETITION), 0);
});

test('pages reached from mail links never leak their token: no referrer, no caching, no script, no framing', async (t) => {
  const h = await harness(t);
  const p = await verifyPetition(h);
  const { notMe, confirm } = await signAndReceipt(h, p.slug, signature());
  for (const url of [confirm!, notMe]) {
    for (const method of ['GET', 'POST'] as const) {
      const res = await h.inject({ method, url: pathOf(url) });
      assert.equal(res.headers['referrer-policy'], 'no-referrer', `${method} ${url}`);
      assert.match(String(res.headers['cache-control']), /no-store/);
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.doesNotMatch(res.body, /<script/i);
      assert.doesNotMatch(res.body, /https?:\/\/(?!localhost|127\.0\.0\.1)/, 'no third-party resource');
    }
  }
});

test('mail links with an altered, foreign-purpose or missing token are an invalid-link page, changing nothing', async (t) => {
  const h = await harness(t);
  const p = await verifyPetition(h);
  const { notMe, confirm } = await signAndReceipt(h, p.slug, signature());
  const snapshot = h.counts();
  const flip = (tok: string) => tok.slice(0, -2) + (tok.at(-2) === 'A' ? 'B' : 'A') + tok.at(-1);
  for (const url of [
    `/petitions/confirm?t=${encodeURIComponent(flip(tokenOf(confirm!)))}`,
    `/petitions/confirm?t=${encodeURIComponent(tokenOf(notMe))}`, // a not-me token cannot confirm
    `/petitions/not-me?t=${encodeURIComponent(tokenOf(confirm!))}`, // nor a confirm token remove
    '/petitions/not-me?t=',
  ]) {
    for (const method of ['GET', 'POST'] as const) {
      const res = await h.inject({ method, url });
      assert.equal(res.statusCode, 400, `${method} ${url}`);
      assert.match(String(res.headers['content-type']), /^text\/html/);
    }
  }
  for (const url of ['/petitions/confirm', '/petitions/not-me', `/petitions/not-me?t=${'a'.repeat(600)}`]) {
    const res = await h.inject({ url });
    assert.equal(res.statusCode, 400, url);
  }
  assert.deepEqual(h.counts(), snapshot);
  assert.equal(signaturesOf(h)[0]!.status, 'pending');
});

test('"keep me informed" goes through the newsletter double opt-in: consent stored, confirm mail sent, nothing confirmed by signing', async (t) => {
  const h = await harness(t);
  const consentText = 'Tenez-moi informé·e des actions urgentes.';
  const res = await h.sign(OPEN_PETITION, signature({ email: 'Keen@Example.org', firstName: 'Amélie', locale: 'fr', keepInformed: true, consentText }));
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(json(res), { status: 'counted', count: 0 }, 'the same answer as without the box');
  const at = h.clock.now().toISOString();
  const sig = signaturesOf(h, 'keen@example.org')[0]!;
  assert.equal(sig.keep_informed, 1);
  assert.equal(sig.consent_text, consentText);
  assert.equal(sig.consent_locale, 'fr');
  await h.drain();

  const subs = h.rows<{ email: string; first_name: string | null; slug: string; status: string; consent_text: string; consent_locale: string; consent_at: string }>(
    `select s.email, s.first_name, l.slug, x.status, x.consent_text, x.consent_locale, x.consent_at
       from subscribers s join subscriptions x on x.subscriber_id = s.id join newsletter_lists l on l.id = x.list_id`,
  );
  assert.deepEqual(subs.map((r) => ({ ...r })), [
    { email: 'keen@example.org', first_name: null, slug: 'urgent-actions', status: 'pending', consent_text: consentText, consent_locale: 'fr', consent_at: at },
  ]);

  const mine = h.mails.filter((m) => m.to === 'keen@example.org');
  assert.equal(mine.length, 2, 'the receipt and the newsletter’s confirm mail');
  const newsletterMail = mine.find((m) => m.text.includes('/newsletter/confirm?t='))!;
  assert.ok(newsletterMail, 'a newsletter confirm mail');
  assert.equal(newsletterMail.locale, 'fr');
  assert.ok(newsletterMail.text.includes('Actions urgentes'), 'it names the petition’s list, in French');
  assert.ok(!newsletterMail.text.includes('Amélie') && !newsletterMail.html.includes('Amélie'), 'no unverified name');
  assert.ok(newsletterMail.unsubscribeUrl, 'list mail carries List-Unsubscribe');

  // The supporter confirms from that mail: only then is the subscription confirmed.
  const confirm = linkIn(newsletterMail.text, h.config.publicUrl, '/newsletter/confirm');
  const confirmed = await h.inject({ url: pathOf(confirm) }); // the newsletter's single-click confirm link
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  const status = h.rows<{ status: string }>(`select x.status from subscriptions x join subscribers s on s.id = x.subscriber_id where s.email = 'keen@example.org'`);
  assert.deepEqual(status.map((r) => r.status), ['confirmed']);
});

test('signing never implies subscribing: without the box (or with it unticked) there is no subscriber at all', async (t) => {
  const h = await harness(t);
  await h.sign(OPEN_PETITION, signature({ email: 'plain@example.org' }));
  await h.sign(OPEN_PETITION, signature({ email: 'unticked@example.org', keepInformed: false, consentText: 'Keep me informed' }));
  await h.drain();
  assert.equal(h.counts().subscribers, 0);
  assert.equal(h.counts().subscriptions, 0);
  assert.ok(h.mails.every((m) => !m.text.includes('/newsletter/confirm')), 'no newsletter mail');
  assert.equal(signaturesOf(h, 'unticked@example.org')[0]!.consent_text, null, 'no consent recorded for an unticked box');
});

test('ticking "keep me informed" on a repeat signature is honoured (double opt-in), without counting twice', async (t) => {
  const h = await harness(t);
  await h.sign(OPEN_PETITION, signature({ email: 'later@example.org' }));
  await h.drain();
  const res = await h.sign(OPEN_PETITION, signature({ email: 'later@example.org', keepInformed: true, consentText: 'Keep me informed.' }));
  assert.deepEqual(json(res), { status: 'counted', count: 1 });
  await h.drain();
  assert.equal(h.rows(`select * from subscriptions where status = 'pending'`).length, 1);
  assert.equal(h.mails.filter((m) => m.text.includes('/newsletter/confirm')).length, 1);
  assert.equal(storedCount(h, OPEN_PETITION), 1);
});

test('"keep me informed" from someone already confirmed on the list sends nothing more and changes nothing', async (t) => {
  const h = await harness(t);
  await supporter(h, 'member@example.org', 'Marta');
  const before = h.rows('select * from subscriptions');
  await h.sign(OPEN_PETITION, signature({ email: 'member@example.org', keepInformed: true, consentText: 'Keep me informed.' }));
  await h.drain();
  assert.deepEqual(h.rows('select * from subscriptions'), before);
  assert.equal(h.mails.filter((m) => m.text.includes('/newsletter/confirm')).length, 0);
  assert.equal(h.rows<{ first_name: string }>(`select first_name from subscribers`)[0]!.first_name, 'Marta', 'the name is not rewritten');
});

test('honeypot filled: the usual 202, nothing written, nothing sent', async (t) => {
  const h = await harness(t);
  const verify = await verifyPetition(h);
  await getCount(h, OPEN_PETITION);
  await h.sign(OPEN_PETITION, signature());
  await h.drain();
  const mails = h.mails.length;
  const before = h.counts();
  const res = await h.sign(OPEN_PETITION, signature({ website: 'http://spam.example', keepInformed: true, consentText: 'x' }), { 'idempotency-key': 'bot-1' });
  assert.equal(res.statusCode, 202);
  assert.deepEqual(json(res), { status: 'counted', count: 1 });
  const res2 = await h.sign(verify.slug, signature({ website: 'x' }));
  assert.equal(res2.statusCode, 202);
  assert.deepEqual(json(res2), { status: 'pending_verification', count: 0 }, 'the answer a person would get on that petition');
  assert.deepEqual(h.counts(), before, 'no row, no job, no idempotency record');
  assert.equal(await h.drain(), 0);
  assert.equal(h.mails.length, mails, 'no mail');
  assert.equal(storedCount(h, OPEN_PETITION), 1);
});

test('signing is rate-limited per client like every public write, and a refused request writes nothing', async (t) => {
  const h = await harness(t, { env: { COMPA_RATE_LIMIT_WRITE_MAX: '3' } });
  for (let i = 0; i < 3; i++) assert.equal((await h.sign(OPEN_PETITION, signature())).statusCode, 202);
  const before = h.counts();
  const res = await h.sign(OPEN_PETITION, signature());
  assertError(res, 429, 'rate_limited');
  assert.ok(Number(res.headers['retry-after']) > 0);
  assert.deepEqual(h.counts(), before);
  // Another client is unaffected.
  assert.equal((await h.sign(OPEN_PETITION, signature(), {}, { remoteAddress: '203.0.113.9' })).statusCode, 202);
});

// ---------------------------------------------------------------------------------------------------------
// 3. One-click action links

test('an action link: /supporter names who it signs as; signing with it counts at once, even on a verify-by-email petition', async (t) => {
  const h = await harness(t);
  const p = await verifyPetition(h);
  const id = await supporter(h, 'ana.garcia@example.org', 'Ana');
  const token = actionToken(h.app.compa, p, id);
  await getCount(h, p.slug);

  const who = await h.inject({ url: `/api/v1/petitions/${p.slug}/supporter?t=${encodeURIComponent(token)}` });
  assert.equal(who.statusCode, 200, who.body);
  assert.deepEqual(json(who), { displayName: 'Ana' });
  assert.match(String(who.headers['cache-control']), /no-store/);

  const res = await h.sign(p.slug, { actionToken: token, locale: 'es' });
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(json(res), { status: 'counted', count: 0 });
  const row = signaturesOf(h, 'ana.garcia@example.org')[0]!;
  assert.equal(row.source, 'link');
  assert.equal(row.status, 'counted');
  assert.equal(row.first_name, 'Ana');
  assert.equal((await getCount(h, p.slug)).count, 1);
  await h.drain();
  const receipt = h.mails.find((m) => m.to === 'ana.garcia@example.org')!;
  assert.ok(receipt.text.includes('/petitions/not-me?t='), 'a link signature gets a receipt with "It wasn’t me" too');
  assert.ok(!receipt.text.includes('/petitions/confirm?t='), 'and needs no confirmation');

  // Clicking twice: the same answer, counted once.
  const again = await h.sign(p.slug, { actionToken: token, locale: 'es' });
  assert.deepEqual(json(again), { status: 'counted', count: 1 });
  assert.equal(storedCount(h, p.slug), 1);
});

test('a supporter without a first name is shown by a masked address', async (t) => {
  const h = await harness(t);
  const p = await h.app.compa.store.getPetition(OPEN_PETITION);
  const id = await supporter(h, 'bruno@example.org', null);
  const who = await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/supporter?t=${encodeURIComponent(actionToken(h.app.compa, p!, id))}` });
  assert.equal(who.statusCode, 200);
  const { displayName } = json<{ displayName: string }>(who);
  assert.ok(!displayName.includes('bruno@'), `the address is not shown whole: ${displayName}`);
  assert.match(displayName, /^b.*@example\.org$/);
});

test(
  'an action link used by someone whose form signature awaits confirmation counts it (the link proves the address)',
  async (t) => {
    const h = await harness(t);
    const p = await verifyPetition(h);
    await h.sign(p.slug, signature({ email: 'both@example.org' }));
    const id = await supporter(h, 'both@example.org', 'Both');
    const res = await h.sign(p.slug, { actionToken: actionToken(h.app.compa, p, id), locale: 'en' });
    assert.equal(res.statusCode, 202);
    assert.equal(json(res).status, 'counted');
    assert.equal(signaturesOf(h, 'both@example.org')[0]!.status, 'counted');
    assert.equal(storedCount(h, p.slug), 1);
    assert.equal(json(res).count, 0, 'the count before this request');
  },
);

test('an action link for another petition, altered or expired is a 400 invalid_token naming actionToken, writing nothing', async (t) => {
  const h = await harness(t);
  const open = (await h.app.compa.store.getPetition(OPEN_PETITION))!;
  const other = await createPetition(h);
  const id = await supporter(h, 'linked@example.org', 'Lin');
  const good = actionToken(h.app.compa, open, id);
  const forOther = actionToken(h.app.compa, other, id);
  const [purpose, subject, exp, mac] = good.split('.') as [string, string, string, string];
  const tampered = [
    `${purpose}.${other.id}-${id}.${exp}.${mac}`, // another petition in a genuine token
    `${purpose}.${open.id}-${id + 1}.${exp}.${mac}`, // someone else
    `${purpose}.${subject}.${exp}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
    `sign-confirm.${subject}.${exp}.${mac}`,
    'not-a-token',
  ];
  const before = h.counts();
  for (const token of [forOther, ...tampered]) {
    assertError(await h.sign(OPEN_PETITION, { actionToken: token, locale: 'en' }), 400, 'invalid_token', ['actionToken']);
    assertError(await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/supporter?t=${encodeURIComponent(token)}` }), 400, 'invalid_token', ['t']);
  }
  // Expired: the link lives 14 days (the deadline is in 30).
  h.clock.advance(15 * DAY);
  assertError(await h.sign(OPEN_PETITION, { actionToken: good, locale: 'en' }), 400, 'invalid_token', ['actionToken']);
  assert.deepEqual(h.counts(), before);
  assert.equal(await h.drain(), 0);
  assert.equal(h.mails.length, 0);
});

test('an action link for a subscriber who was erased is refused', async (t) => {
  const h = await harness(t);
  const open = (await h.app.compa.store.getPetition(OPEN_PETITION))!;
  assertError(await h.sign(OPEN_PETITION, { actionToken: actionToken(h.app.compa, open, 999_999), locale: 'en' }), 400, 'invalid_token', ['actionToken']);
  assert.equal(h.counts().signatures, 0);
});

test('an action link with details beside it is refused, naming each field', async (t) => {
  const h = await harness(t);
  const open = (await h.app.compa.store.getPetition(OPEN_PETITION))!;
  const token = actionToken(h.app.compa, open, await supporter(h, 'mixed@example.org', 'Mix'));
  const before = h.counts();
  const res = await h.sign(OPEN_PETITION, { actionToken: token, email: 'other@example.org', firstName: 'Eve', lastName: 'X', country: 'CO', locale: 'en' });
  assertError(res, 400, 'invalid_body', ['email', 'firstName', 'lastName', 'country']);
  assert.deepEqual(h.counts(), before);
  assert.equal(await h.drain(), 0);
});

// ---------------------------------------------------------------------------------------------------------
// 4. Closed petitions

test('a closed petition or one past its deadline refuses signatures with 409 petition_closed, writing nothing', async (t) => {
  const h = await harness(t);
  const open = (await h.app.compa.store.getPetition(OPEN_PETITION))!;
  const token = actionToken(h.app.compa, open, await supporter(h, 'closed@example.org', 'C'));
  const before = h.counts();
  assertError(await h.sign(CLOSED_PETITION, signature({ lastName: 'Pérez' })), 409, 'petition_closed');
  h.clock.advance(30 * DAY + 1);
  assertError(await h.sign(OPEN_PETITION, signature()), 409, 'petition_closed');
  assertError(await h.sign(OPEN_PETITION, signature({ website: 'bot' })), 409, 'petition_closed');
  assertError(await h.sign(OPEN_PETITION, { actionToken: token, locale: 'en' }), 409, 'petition_closed'); // even with an action link
  assert.deepEqual(h.counts(), before);
  assert.equal(await h.drain(), 0);
  assert.equal(h.mails.length, 0);
  assert.deepEqual(await getCount(h, OPEN_PETITION), { count: 0, goal: 5000, status: 'closed' });
  assert.equal((await getCount(h, CLOSED_PETITION)).status, 'closed');
});

test('closing a petition by hand takes effect on the count and on signing', async (t) => {
  const h = await harness(t);
  const p = await createPetition(h);
  await getCount(h, p.slug);
  assert.equal((await h.sign(p.slug, signature())).statusCode, 202);
  assert.equal((await getCount(h, p.slug)).status, 'open');
  await changePetition(h, p.slug, { status: 'closed' });
  assert.deepEqual(await getCount(h, p.slug), { count: 1, goal: 1000, status: 'closed' });
  assertError(await h.sign(p.slug, signature()), 409, 'petition_closed');
  assert.equal((await getPetition(h, p.slug)).status, 'closed');
});

// ---------------------------------------------------------------------------------------------------------
// 6. The count endpoint

test('the count is public and cacheable: Cache-Control public, an ETag, 304 on If-None-Match, a new ETag when it changes', async (t) => {
  const h = await harness(t);
  const first = await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/count` });
  assert.equal(first.statusCode, 200);
  assert.deepEqual(Object.keys(json(first)).sort(), ['count', 'goal', 'status'], 'only numbers and a status, never names');
  const cc = String(first.headers['cache-control']);
  assert.match(cc, /\bpublic\b/);
  assert.match(cc, /max-age=\d+/);
  const etag = String(first.headers.etag);
  assert.ok(etag.length > 2, 'an ETag');

  const same = await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/count`, headers: { 'if-none-match': etag } });
  assert.equal(same.statusCode, 304);
  assert.equal(same.body, '');
  assert.equal(same.headers.etag, etag);

  await h.sign(OPEN_PETITION, signature());
  const changed = await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/count`, headers: { 'if-none-match': etag } });
  assert.equal(changed.statusCode, 200);
  assert.equal(json(changed).count, 1);
  assert.notEqual(changed.headers.etag, etag);
});

test('the count is never rate-limited; the petition itself is, like the other reads', async (t) => {
  const h = await harness(t, { env: { COMPA_RATE_LIMIT_READ_MAX: '5' } });
  for (let i = 0; i < 60; i++) {
    const res = await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/count` });
    assert.equal(res.statusCode, 200, `request ${i + 1}`);
  }
  for (let i = 0; i < 5; i++) assert.equal((await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}` })).statusCode, 200);
  const limited = await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}` });
  assertError(limited, 429, 'rate_limited');
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.equal((await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}`, remoteAddress: '198.51.100.7' })).statusCode, 200, 'per client');
  assert.equal((await h.inject({ url: `/api/v1/petitions/${OPEN_PETITION}/count` })).statusCode, 200);
});

test('a partner site may call the petition API (CORS preflight allows the Idempotency-Key); shared caches keep origins apart', async (t) => {
  const partner = 'https://partner.example';
  const h = await harness(t, { env: { COMPA_ALLOWED_ORIGINS: partner } });
  const pre = await h.inject({
    method: 'OPTIONS',
    url: `/api/v1/petitions/${OPEN_PETITION}/signatures`,
    headers: { origin: partner, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' },
  });
  assert.ok(pre.statusCode === 204 || pre.statusCode === 200, String(pre.statusCode));
  assert.equal(pre.headers['access-control-allow-origin'], partner);
  assert.match(String(pre.headers['access-control-allow-headers']), /idempotency-key/i);
  const evil = await h.inject({
    method: 'OPTIONS',
    url: `/api/v1/petitions/${OPEN_PETITION}/signatures`,
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
  });
  assert.equal(evil.headers['access-control-allow-origin'], undefined);
  const signed = await h.sign(OPEN_PETITION, signature(), { origin: partner });
  assert.equal(signed.statusCode, 202);
  assert.equal(signed.headers['access-control-allow-origin'], partner);
  for (const url of [`/api/v1/petitions/${OPEN_PETITION}`, `/api/v1/petitions/${OPEN_PETITION}/count`]) {
    const res = await h.inject({ url, headers: { origin: partner } });
    assert.match(String(res.headers['cache-control']), /public/);
    assert.match(String(res.headers.vary), /origin/i, `${url}: a publicly cacheable answer varies by Origin`);
  }
});

test(
  'the answer to a signature does not tell whether the address had signed before (no enumeration through the count)',
  async (t) => {
    const h = await harness(t);
    await h.sign(OPEN_PETITION, signature({ email: 'known@example.org' }));
    const probe = async (email: string) => {
      const before = (await getCount(h, OPEN_PETITION)).count;
      const res = await h.sign(OPEN_PETITION, signature({ email }));
      return json(res).count - before;
    };
    const known = await probe('known@example.org');
    const unknown = await probe('unknown@example.org');
    assert.equal(known, unknown, `an address that signed moves the answer by ${known}, a new one by ${unknown}`);
  },
);

// ---------------------------------------------------------------------------------------------------------
// 9. Privacy

test('the server logs nothing personal while people sign, confirm, use action links and remove signatures', async (t) => {
  const h = await harness(t, { captureLogs: true });
  const p = await verifyPetition(h);
  const secrets = ['Wilhelmina.Secret@Example.org', 'wilhelmina.secret@example.org', 'Wilhelmina', 'Zyxwvutsson', 'My private comment 42'];
  const body = signature({ email: secrets[0], firstName: 'Wilhelmina', lastName: 'Zyxwvutsson', comment: 'My private comment 42', keepInformed: true, consentText: 'Keep me informed.' });
  await h.sign(OPEN_PETITION, body, { 'idempotency-key': 'log-check-1' });
  await h.sign(OPEN_PETITION, body, { 'idempotency-key': 'log-check-1' });
  await h.sign(OPEN_PETITION, { ...body, website: 'bot' });
  await h.sign(OPEN_PETITION, { ...body, email: 'broken@' }); // a 400
  await h.drain();
  const { confirm, notMe } = await signAndReceipt(h, p.slug, { ...body, keepInformed: undefined, consentText: undefined });
  await h.inject({ url: pathOf(confirm!) });
  await h.inject({ method: 'POST', url: pathOf(confirm!) });
  await h.inject({ url: pathOf(notMe) });
  await h.inject({ method: 'POST', url: pathOf(notMe) });
  const id = await supporter(h, 'linked.person@example.org', 'Ottoline');
  const token = actionToken(h.app.compa, p, id);
  await h.inject({ url: `/api/v1/petitions/${p.slug}/supporter?t=${encodeURIComponent(token)}` });
  await h.sign(p.slug, { actionToken: token, locale: 'en' });
  await h.drain();

  assert.ok(h.logs.length > 10, 'logs were captured');
  const all = h.logs.join('\n');
  const tokens = [tokenOf(confirm!), tokenOf(notMe), token];
  for (const s of [...secrets, 'linked.person@example.org', 'Ottoline', ...tokens, ...tokens.map(encodeURIComponent)]) {
    assert.ok(!all.includes(s), `the logs contain "${s}"`);
  }
  assert.doesNotMatch(all, /[\w.+-]+@example\.org/i, 'no address at all');
});

test('the petition, its count and the receipt page never show who signed', async (t) => {
  const h = await harness(t);
  await h.sign(OPEN_PETITION, signature({ email: 'hidden.signer@example.org', firstName: 'Hiddenname', comment: 'Hidden comment' }));
  for (const url of [`/api/v1/petitions/${OPEN_PETITION}`, `/api/v1/petitions/${OPEN_PETITION}/count`, '/api/v1/openapi.json']) {
    const res = await h.inject({ url });
    for (const s of ['hidden.signer', 'Hiddenname', 'Hidden comment']) assert.ok(!res.body.includes(s), `${url} shows ${s}`);
  }
});
