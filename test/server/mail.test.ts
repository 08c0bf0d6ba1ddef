/**
 * The outbox mailer (used when COMPA_SMTP_URL is not set): real .eml files a mail program opens,
 * with RFC 8058 one-click unsubscribe headers, and no address in the server log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { decodeQuotedPrintable, harness, linkIn, mailHeaders, outbox, pathOf, subscription } from './helpers.ts';

/** The decoded text/plain part of a message written by nodemailer. */
function textPart(raw: string): string {
  const m = /Content-Type: text\/plain[^\n]*\nContent-Transfer-Encoding: quoted-printable\n\n([\s\S]*?)\n----/.exec(raw);
  assert.ok(m, 'a quoted-printable text/plain part');
  return decodeQuotedPrintable(m[1]!);
}

test('the confirmation mail is written to the outbox with List-Unsubscribe and List-Unsubscribe-Post', async (t) => {
  const h = await harness(t, { mailer: 'outbox', captureLogs: true });
  const email = 'outbox.reader.51@example.org';
  const res = await h.subscribe(subscription({ email, locale: 'es' }));
  assert.equal(res.statusCode, 202);
  await h.drain();

  const files = outbox(h.outboxDir);
  assert.equal(files.length, 1, 'one .eml file');
  const [{ file, raw }] = files as [{ file: string; raw: string }];
  assert.equal(statSync(file).mode & 0o777, 0o600, 'only the server’s user may read a mail with an address in it');

  assert.match(raw, /^List-Unsubscribe:/m);
  assert.match(raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
  const headers = mailHeaders(raw);
  assert.deepEqual(headers.get('to'), [email]);
  assert.deepEqual(headers.get('content-language'), ['es']);
  const listUnsubscribe = headers.get('list-unsubscribe')?.[0] ?? '';
  const m = /^<(https?:\/\/[^>]+)>$/.exec(listUnsubscribe);
  assert.ok(m, `List-Unsubscribe is one <URL>: ${listUnsubscribe}`);
  const unsubscribeUrl = m[1]!;
  assert.ok(unsubscribeUrl.startsWith(`${h.config.publicUrl}/newsletter/unsubscribe?t=`), unsubscribeUrl);

  const text = textPart(raw);
  const confirm = linkIn(text, h.config.publicUrl, '/newsletter/confirm');
  assert.ok(text.includes(unsubscribeUrl), 'the text names the same unsubscribe link');

  // What a mail program does with those headers (RFC 8058): POST List-Unsubscribe=One-Click to the URL.
  assert.equal((await h.inject({ url: pathOf(confirm) })).statusCode, 200);
  const oneClick = await h.inject({
    method: 'POST',
    url: pathOf(unsubscribeUrl),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: headers.get('list-unsubscribe-post')![0]!,
  });
  assert.equal(oneClick.statusCode, 200);
  const [row] = h.rows<{ status: string }>(
    'select x.status from subscriptions x join subscribers s on s.id = x.subscriber_id where s.email = ?',
    email,
  );
  assert.equal(row!.status, 'unsubscribed');

  const written = h.logs.filter((l) => /outbox/.test(l));
  assert.equal(written.length, 1, `one log line for the written mail:\n${h.logs.join('\n')}`);
  assert.ok(!written[0]!.includes(email), written[0]);
  assert.ok(!h.logs.join('\n').includes(email), 'the address is nowhere in the log');
});

test('a mail that cannot be written is retried later, and the log names no address', async (t) => {
  const h = await harness(t, { mailer: 'outbox', captureLogs: true });
  // A file where the outbox directory should be: writing fails.
  await writeFile(h.outboxDir, 'not a directory');
  const email = 'retry.me.77@example.org';
  await h.subscribe(subscription({ email }));
  await h.drain();
  const [job] = h.rows<{ status: string; attempts: number; last_error: string; run_at: string }>('select * from jobs');
  assert.equal(job!.status, 'pending', 'kept for a retry');
  assert.equal(job!.attempts, 1);
  assert.ok(Date.parse(job!.run_at) > h.clock.now().getTime(), 'retried later, not in a tight loop');
  assert.ok(!job!.last_error.includes(email));
  assert.ok(!h.logs.join('\n').includes(email));

  await rm(h.outboxDir);
  h.clock.advance(60_000);
  await h.drain();
  assert.equal(outbox(h.outboxDir).length, 1, 'the retry delivered the mail');
  assert.equal(h.rows<{ status: string }>('select status from jobs')[0]!.status, 'done');
});
