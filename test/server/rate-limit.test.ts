import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from '../../src/server/http/rate-limit.ts';

test('a client gets `max` requests per window, then Retry-After until the window ends; keys are separate', () => {
  const limiter = new RateLimiter(60_000);
  const t0 = 1_000_000;
  for (let i = 0; i < 3; i++) assert.equal(limiter.hit('a', 3, t0 + i), 0);
  assert.equal(limiter.hit('a', 3, t0 + 10), 60, 'the 4th: wait for the end of the window');
  assert.equal(limiter.hit('a', 3, t0 + 30_500), 30);
  assert.equal(limiter.hit('b', 3, t0 + 30_500), 0, 'another client has its own allowance');
  assert.equal(limiter.hit('a', 3, t0 + 60_000), 0, 'a new window');
});

test('past maxKeys distinct clients in a window, newcomers share one allowance (a flood of addresses is not let through)', () => {
  const limiter = new RateLimiter(60_000, 2);
  const t0 = 5_000_000;
  assert.equal(limiter.hit('a', 1, t0), 0);
  assert.equal(limiter.hit('b', 1, t0), 0);
  assert.equal(limiter.hit('c', 1, t0), 0, 'the first newcomer uses the shared allowance');
  assert.ok(limiter.hit('d', 1, t0) > 0, 'the next newcomer is limited with it');
  assert.ok(limiter.hit('a', 1, t0) > 0, 'known clients keep their own count');
});
