/**
 * Smoke test of the browser test harness: Chromium runs TypeScript tests, Mock Service Worker intercepts fetches
 * (same-origin and cross-origin) with contract-checked answers, and axe-core runs through @open-wc/testing.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { ErrorBodySchema, IDEMPOTENCY_HEADER, ListsResponseSchema } from '../../src/schemas/index.ts';
import { useMockApi } from '../mocks/browser.ts';
import { acceptedSubscriptions, requestLog, scenarios } from '../mocks/handlers.ts';

const validBody = {
  email: 'ana@example.org',
  lists: ['monthly-bulletin'],
  locale: 'es',
  consent: true,
  consentText: 'Acepto recibir el boletín.',
};

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch('/api/v1/subscriptions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: crypto.randomUUID(), ...headers },
    body: JSON.stringify(body),
  });
}

describe('test harness', () => {
  let api: Awaited<ReturnType<typeof useMockApi>>;
  beforeEach(async () => {
    api = await useMockApi();
  });

  it('runs in a real Chromium', () => {
    expect(navigator.userAgent).to.match(/Chrome\//);
    expect(navigator.serviceWorker.controller, 'the mock worker controls the page').to.not.equal(null);
  });

  it('mocks GET /lists in the requested locale, with the English fallback marked', async () => {
    const response = await fetch('/api/v1/lists?locale=fr-CA');
    expect(response.status).to.equal(200);
    const body = ListsResponseSchema.parse(await response.json());
    expect(body.lists.map((list) => list.locale)).to.deep.equal(['fr', 'fr', 'en']);
    expect(body.lists[0].name).to.equal('Bulletin mensuel');
  });

  it('intercepts cross-origin API calls too (no real network)', async () => {
    const response = await fetch('https://api.example.org/api/v1/lists?locale=es');
    const body = ListsResponseSchema.parse(await response.json());
    expect(body.lists[0].name).to.equal('Boletín mensual');
  });

  it('refuses API requests that no handler knows', async () => {
    const logged: unknown[][] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    let failure: unknown;
    try {
      await fetch('/api/v1/not-a-route').catch((error: unknown) => (failure = error));
    } finally {
      console.error = consoleError;
    }
    expect(failure, 'an unmocked API call must fail, not reach the dev server').to.be.instanceOf(TypeError);
    expect(String(logged[0]?.[0])).to.contain('no handler for GET');
  });

  it('validates requests with the shared zod schemas', async () => {
    const badQuery = await fetch('/api/v1/lists?locale=es&extra=1');
    expect(badQuery.status).to.equal(400);

    const response = await post({ ...validBody, email: 'not-an-email', consent: false, color: 'red' });
    expect(response.status).to.equal(400);
    const { error } = ErrorBodySchema.parse(await response.json());
    expect(error.code).to.equal('invalid_body');
    expect(error.fields).to.deep.include({ color: 'Unknown field' });
    expect(error.fields).to.have.keys(['email', 'consent', 'color']);

    const badKey = await post(validBody, { [IDEMPOTENCY_HEADER]: 'no spaces allowed' });
    expect(badKey.status).to.equal(400);

    const unknownList = await post({ ...validBody, lists: ['nope'] });
    expect(ErrorBodySchema.parse(await unknownList.json()).error.fields).to.deep.equal({ lists: 'Unknown list: nope' });

    const wrongType = await fetch('/api/v1/subscriptions', {
      method: 'POST',
      headers: { [IDEMPOTENCY_HEADER]: 'k' },
      body: new URLSearchParams({ email: 'a@b.org' }),
    });
    expect(wrongType.status).to.equal(415);
  });

  it('accepts a valid subscription, replays the same key, refuses a reused key with another body', async () => {
    const key = crypto.randomUUID();
    const first = await post(validBody, { [IDEMPOTENCY_HEADER]: key });
    expect(first.status).to.equal(202);
    expect(await first.json()).to.deep.equal({ status: 'pending_confirmation' });
    const replay = await post(validBody, { [IDEMPOTENCY_HEADER]: key });
    expect(replay.status).to.equal(202);
    expect(replay.headers.get('Idempotent-Replayed')).to.equal('true');
    expect((await post({ ...validBody, email: 'other@example.org' }, { [IDEMPOTENCY_HEADER]: key })).status).to.equal(422);
    expect(requestLog.map((entry) => entry.status)).to.deep.equal([202, 202, 422]);
    expect(requestLog[0].headers['idempotency-key']).to.equal(key);
    expect(acceptedSubscriptions).to.have.length(1);
  });

  it('has the error scenarios the widgets need', async () => {
    api.use(...scenarios.rateLimited({ retryAfter: 90 }));
    const limited = await post(validBody);
    expect(limited.status).to.equal(429);
    expect(limited.headers.get('Retry-After')).to.equal('90');
    expect(ErrorBodySchema.parse(await limited.json()).error.retryAfter).to.equal(90);

    api.use(...scenarios.validationError({ fields: { email: 'Bounced' } }));
    const invalid = await post(validBody);
    expect(invalid.status).to.equal(400);
    expect(ErrorBodySchema.parse(await invalid.json()).error.fields).to.deep.equal({ email: 'Bounced' });

    api.use(...scenarios.offline());
    let failure: unknown;
    await post(validBody).catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(TypeError);

    api.use(...scenarios.listsFailure());
    expect((await fetch('/api/v1/lists')).status).to.equal(500);

    api.use(...scenarios.slow({ submitLatency: 50 }));
    const started = performance.now();
    expect((await post(validBody)).status).to.equal(202);
    expect(performance.now() - started).to.be.greaterThan(40);
  });

  it('runs axe-core: a labelled form passes, an unlabelled field fails', async () => {
    const good = await fixture(html`
      <form>
        <label for="email">Email</label>
        <input id="email" type="email" autocomplete="email" />
        <button type="submit">Subscribe</button>
      </form>
    `);
    await expect(good).to.be.accessible();

    const bad = await fixture(html`<form><input type="email" /><button></button></form>`);
    await expect(bad).not.to.be.accessible();
  });
});
