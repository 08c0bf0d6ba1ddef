/** A newsletter list closed through the admin API stops taking subscriptions from petitions' "keep me informed" too. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminHarness } from './admin-helpers.ts';
import { signature } from './helpers.ts';

test('a list closed since is no longer offered by "keep me informed": not in the petition, refused naming the field, and a waiting job subscribes nobody', async (t) => {
  const h = await adminHarness(t);
  assert.equal((await h.api('PUT', 'lists/bulletin-closing', { texts: { en: { name: 'Bulletin', description: 'Weekly.' } }, isPublic: true })).statusCode < 300, true);
  const put = await h.api('PUT', 'petitions/keep-me', {
    status: 'open',
    goal: 100,
    keepInformedList: 'bulletin-closing',
    texts: { en: { title: 'Keep me', summary: 'A petition.', body: '<p>Body</p>', target: 'Someone' } },
  });
  assert.ok(put.statusCode < 300, put.body);
  const offered = JSON.parse((await h.inject({ url: '/api/v1/petitions/keep-me?locale=en' })).body);
  assert.ok(offered.keepInformed, 'offered while the list is open');
  // Someone ticks the box; before the job runs, the list is closed.
  const email = 'late.keep@example.org';
  assert.equal((await h.sign('keep-me', signature({ email, keepInformed: true, consentText: 'Keep me informed.' }))).statusCode, 202);
  assert.equal((await h.api('POST', 'lists/bulletin-closing/close')).statusCode, 200);
  await h.drain();
  assert.equal(h.rows('select id from subscribers where email = ?', email).length, 0, 'the waiting job subscribed nobody');
  h.clock.advance(60_000);
  const after = JSON.parse((await h.inject({ url: '/api/v1/petitions/keep-me?locale=en' })).body);
  assert.equal(after.keepInformed, null, 'no longer offered');
  const refused = await h.sign('keep-me', signature({ keepInformed: true, consentText: 'Keep me informed.' }));
  assert.equal(refused.statusCode, 400);
  assert.ok(JSON.parse(refused.body).error.fields.keepInformed);
});
