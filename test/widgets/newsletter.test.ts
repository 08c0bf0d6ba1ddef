/**
 * `<compa-newsletter>` in a real Chromium, against the mocked API (`test/mocks/handlers.ts`, checked with the
 * shared zod schemas): what a supporter sees and does, and what the page and the server receive.
 * Languages: newsletter.i18n.test.ts; accessibility and layout: newsletter.a11y.test.ts.
 */
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import type { CompaQueuedDetail, CompaSubscribeDetail } from '../../src/widgets/newsletter/compa-newsletter.ts';
import { CompaNewsletter } from '../../src/widgets/newsletter/compa-newsletter.ts';
import {
  DEMO_ORGANISATION,
  DEMO_PRIVACY_POLICY_URL,
  demoListsResponse,
  listsHandler,
  scenarios,
} from '../mocks/handlers.ts';
import {
  $,
  $$,
  base,
  button,
  focused,
  get,
  gets,
  isShown,
  keyOf,
  norm,
  posts,
  reach,
  record,
  speaks,
  stateHistory,
  storedPending,
  submit,
  until,
  useWidgetPage,
  visibleText,
  whileDeviceOffline,
} from './common.helpers.ts';
import {
  VALID,
  fill,
  fillAndSubmit,
  gatedLists,
  heading,
  mount,
  seedPending,
  uniqueApi,
} from './newsletter.helpers.ts';

const CONSENT_EN = `I agree to receive emails from ${DEMO_ORGANISATION} and accept its privacy policy.`;
const ALL_SLUGS = ['monthly-bulletin', 'urgent-actions', 'field-reports'];

const mock = useWidgetPage();

describe('<compa-newsletter>: loading the lists', () => {
  it('shows "Loading…" while the lists load, then the form with every public list, unticked, in a fieldset', async () => {
    const lists = gatedLists();
    mock.worker.use(lists.handler);
    const api = uniqueApi();
    const ready = record<{ lists: string[] }>(document, 'compa-ready');
    const el = await mount({ api }, null);
    await lists.requested;
    expect(el.state).to.equal('loading');
    expect(norm(get(el, '[part~="message"]').textContent)).to.equal('Loading…');
    expect($(el, 'form'), 'no form before the lists arrive').to.equal(null);

    lists.open();
    await reach(el, 'idle');
    expect(lists.urls).to.deep.equal([`${api}/api/v1/lists?locale=en`]);
    expect(ready.map((e) => e.detail)).to.deep.equal([{ lists: ALL_SLUGS }]);
    expect(isShown(get(el, 'form'))).to.equal(true);

    const fieldset = get<HTMLFieldSetElement>(el, 'fieldset');
    expect(norm(fieldset.querySelector('legend')?.textContent)).to.equal('What would you like to receive?');
    const boxes = [...fieldset.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    expect(boxes.map((b) => b.value)).to.deep.equal(ALL_SLUGS);
    expect(boxes.map((b) => norm(get(el, `label[for="${b.id}"]`).textContent))).to.deep.equal([
      'Monthly bulletin',
      'Urgent actions',
      'Field reports',
    ]);
    expect(boxes.map((b) => b.checked), 'nothing is pre-ticked').to.deep.equal([false, false, false]);
  });

  it('offers only the lists named in `lists` (two lists: two checkboxes)', async () => {
    const el = await mount({ lists: 'urgent-actions, monthly-bulletin' });
    const boxes = $$<HTMLInputElement>(el, 'fieldset input[type="checkbox"]');
    expect(boxes.map((b) => b.value)).to.deep.equal(['monthly-bulletin', 'urgent-actions']);
    expect(el.offered.map((l) => l.slug)).to.deep.equal(['monthly-bulletin', 'urgent-actions']);
  });

  it('with a single list there is no choice: no checkboxes, its description introduces the form, and it is sent', async () => {
    const el = await mount({ lists: 'urgent-actions' });
    expect($(el, 'fieldset'), 'no fieldset').to.equal(null);
    expect($$(el, 'input[name="lists"]')).to.have.length(0);
    expect(visibleText(get(el, 'form'))).to.contain('Alerts when a defender is at risk and your voice can help.');

    await fillAndSubmit(el, { email: 'ana@example.org', consent: true });
    await reach(el, 'check-inbox');
    expect((posts()[0].body as { lists: string[] }).lists).to.deep.equal(['urgent-actions']);
  });

  it('asks for an optional first name (labelled, `given-name`), and not at all with `hide-first-name`', async () => {
    const el = await mount();
    const firstName = get<HTMLInputElement>(el, '#firstName');
    expect(norm(get(el, 'label[for="firstName"]').textContent)).to.equal('First name (optional)');
    expect(firstName.autocomplete).to.equal('given-name');
    expect(firstName.required).to.equal(false);

    const hidden = await mount({ hideFirstName: true });
    expect($(hidden, '#firstName')).to.equal(null);
    expect(visibleText(get(hidden, 'form'))).not.to.contain('First name');
    await fillAndSubmit(hidden, { email: 'ana@example.org', lists: ['monthly-bulletin'], consent: true });
    await reach(hidden, 'check-inbox');
    expect(posts()[0].body).not.to.have.property('firstName');
  });

  it("links the server's privacy policy from the consent text, in a new tab without opener or referrer", async () => {
    const el = await mount();
    const link = get<HTMLAnchorElement>(el, '#consent-label a');
    expect(link.href).to.equal(DEMO_PRIVACY_POLICY_URL);
    expect(link.target).to.equal('_blank');
    expect(link.rel.split(/\s+/)).to.include.members(['noopener', 'noreferrer']);
    expect(norm(link.textContent)).to.equal('privacy policy (opens in a new tab)');
    expect(visibleText(get(el, '#consent-label'))).to.equal(CONSENT_EN);

    // The link's markup also lives in each translation: it must stay safe there.
    for (const lang of ['es', 'fr']) {
      const translated = await mount({ lang });
      await speaks(translated, lang);
      const a = get<HTMLAnchorElement>(translated, '#consent-label a');
      expect([a.href, a.target], lang).to.deep.equal([DEMO_PRIVACY_POLICY_URL, '_blank']);
      expect(a.rel.split(/\s+/), lang).to.include.members(['noopener', 'noreferrer']);
    }
  });

  it('`privacy-url` overrides the server’s link; a `javascript:` URL is never linked', async () => {
    const el = await mount({ privacyUrl: 'https://org.example/privacidad' });
    expect(get<HTMLAnchorElement>(el, '#consent-label a').href).to.equal('https://org.example/privacidad');

    const hostile = await mount({ privacyUrl: 'javascript:alert(1)' });
    expect($(hostile, '#consent-label a'), 'no link at all').to.equal(null);
    expect(visibleText(get(hostile, '#consent-label'))).to.equal(`I agree to receive emails from ${DEMO_ORGANISATION}.`);
  });

  it('without any privacy policy the consent text has no link', async () => {
    mock.worker.use(listsHandler({ respond: (locale) => ({ ...demoListsResponse(locale), privacyPolicyUrl: null }) }));
    const el = await mount();
    expect($(el, '#consent-label a')).to.equal(null);
    expect(visibleText(get(el, '#consent-label'))).to.equal(`I agree to receive emails from ${DEMO_ORGANISATION}.`);
  });

  it('`heading` and `heading-level` set the form’s heading; the result panels keep their own', async () => {
    const el = await fixture<CompaNewsletter>(
      html`<compa-newsletter api=${uniqueApi()} heading="Join our alerts" heading-level="3"></compa-newsletter>`,
    );
    await reach(el, 'idle');
    const h = get(el, '[part~="heading"]');
    expect([h.getAttribute('role'), h.getAttribute('aria-level'), heading(el)]).to.deep.equal(['heading', '3', 'Join our alerts']);
    await fillAndSubmit(el);
    await reach(el, 'check-inbox');
    expect([h.getAttribute('aria-level'), heading(el)]).to.deep.equal(['3', 'Check your inbox']);
  });

  it('with `data` set before connecting, no lists request is made', async () => {
    const el = document.createElement('compa-newsletter');
    el.setAttribute('api', uniqueApi());
    el.data = { ...demoListsResponse('en'), lists: demoListsResponse('en').lists.slice(0, 2) };
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    wrapper.append(el);
    await reach(el, 'idle');
    expect($$(el, 'input[name="lists"]')).to.have.length(2);
    expect(gets()).to.have.length(0);
  });

  it('lists that fail to load: an error and "Try again", which loads them', async () => {
    mock.worker.use(...scenarios.listsFailure());
    const errors = record(document, 'compa-error');
    const el = await mount({}, 'load-error');
    expect(norm(get(el, '[role="alert"]').textContent)).to.equal(
      'The form couldn’t load. Check your connection and try again.',
    );
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'internal', status: 500 }]);
    expect($(el, 'form')).to.equal(null);

    mock.worker.resetHandlers(); // the server is back
    button(el, 'Try again').click();
    await reach(el, 'idle');
    expect(focused(el)?.id, 'focus goes back to the heading').to.equal('heading');
    expect(gets()).to.have.length(2);
  });

  it('lists unreachable (network): load-error with a `network` compa-error', async () => {
    mock.worker.use(...scenarios.listsFailure({ kind: 'network' }));
    const errors = record(document, 'compa-error');
    await mount({}, 'load-error');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'network', status: 0 }]);
  });
});

describe('<compa-newsletter>: checks before sending', () => {
  it('the consent box is not ticked by default', async () => {
    const el = await mount();
    const consent = get<HTMLInputElement>(el, '#consent');
    expect(consent.checked).to.equal(false);
    expect(consent.hasAttribute('checked')).to.equal(false);
  });

  it('submitting an empty form sends nothing, ties each error to its field and focuses the first one', async () => {
    const el = await mount();
    await submit(el);
    await until(() => $(el, '#email-error'), () => 'the email error');
    expect(posts(), 'no request').to.have.length(0);
    expect(el.state).to.equal('idle');

    const described = (field: Element) => {
      const ids = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
      return ids.map((id) => norm(el.shadowRoot!.getElementById(id)?.textContent)).join(' ');
    };
    const email = get(el, '#email');
    const consent = get(el, '#consent');
    expect(email.getAttribute('aria-invalid')).to.equal('true');
    expect(described(email)).to.equal('Enter your email address.');
    expect(consent.getAttribute('aria-invalid')).to.equal('true');
    expect(described(consent)).to.equal('To subscribe, tick this box to agree.');
    expect(described(get(el, 'fieldset'))).to.equal('Choose at least one newsletter.');
    for (const box of $$(el, 'input[name="lists"]')) {
      expect(box.getAttribute('aria-invalid')).to.equal('true');
      // Focus lands on a checkbox, inside the fieldset: the error must be read from the checkbox itself.
      expect(described(box)).to.match(/^Choose at least one newsletter\./);
    }
    // The errors are visible text, not only attributes.
    for (const id of ['email-error', 'consent-error', 'lists-error']) expect(isShown(get(el, `#${id}`)), id).to.equal(true);
    expect(focused(el)?.id).to.equal('email');
  });

  it('an address that is not one: its own message; focus moves to the first invalid field', async () => {
    const el = await mount();
    await fillAndSubmit(el, { email: 'ana@example', lists: ['monthly-bulletin'], consent: true });
    await until(() => $(el, '#email-error'), () => 'the email error');
    expect(norm(get(el, '#email-error').textContent)).to.equal('Enter a valid email address, like name@example.org.');
    expect(focused(el)?.id).to.equal('email');
    expect(posts()).to.have.length(0);

    // Address fixed, consent withdrawn: now the consent box is the first (and only) invalid field.
    await fill(el, { email: 'ana@example.org', consent: true });
    await submit(el);
    await until(() => $(el, '#consent-error'), () => 'the consent error');
    expect(get(el, '#email').getAttribute('aria-invalid')).to.equal('false');
    expect($(el, '#email-error')).to.equal(null);
    expect(focused(el)?.id).to.equal('consent');
    expect(posts()).to.have.length(0);
  });

  it('no list chosen: focus moves to the first list', async () => {
    const el = await mount();
    await fillAndSubmit(el, { email: 'ana@example.org', consent: true });
    await until(() => $(el, '#lists-error'), () => 'the lists error');
    expect(focused(el)?.id).to.equal('list-monthly-bulletin');
    expect(posts()).to.have.length(0);
  });
});

describe('<compa-newsletter>: a successful signup', () => {
  it('sends the contract body with an Idempotency-Key, goes submitting → check-inbox and announces it', async () => {
    const api = uniqueApi();
    const el = await mount({ api });
    const states = stateHistory(el);
    const status = get(el, '[role="status"]');
    expect(norm(status.textContent), 'the live region exists, silent, before it speaks').to.equal('');

    await fill(el, { email: '  ana@example.org ', firstName: ' Ana ', lists: ['monthly-bulletin', 'field-reports'], consent: true });
    const consentShown = visibleText(get(el, '#consent-label'));
    await submit(el);
    await reach(el, 'check-inbox');

    expect(states).to.deep.equal(['submitting', 'check-inbox']);
    const [post, ...others] = posts();
    expect(others).to.have.length(0);
    expect(post.url).to.equal(`${api}/api/v1/subscriptions`);
    expect(post.status).to.equal(202);
    expect(post.headers['content-type']).to.match(/^application\/json/);
    expect(keyOf(post)).to.match(/^[A-Za-z0-9._:-]{1,128}$/);
    const { website, ...body } = post.body as Record<string, unknown>;
    expect(website ?? '', 'the honeypot is empty').to.equal('');
    expect(body).to.deep.equal({
      email: 'ana@example.org',
      firstName: 'Ana',
      lists: ['monthly-bulletin', 'field-reports'],
      locale: 'en',
      consent: true,
      consentText: CONSENT_EN,
    });
    expect(body.consentText, 'the consent text as shown').to.equal(consentShown);

    expect(heading(el)).to.equal('Check your inbox');
    expect(focused(el)?.id).to.equal('heading');
    expect(isShown(get(el, 'form')), 'the form is gone').to.equal(false);
    expect(get(el, '[role="status"]'), 'the same live region').to.equal(status);
    expect(norm(status.textContent)).to.match(/^We’ve sent you an email\. Click the link in it/);
    expect(storedPending(), 'nothing left queued').to.have.length(0);
  });

  it('dispatches compa-subscribe out of a surrounding shadow root, with the lists and locale and no email', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('compa-newsletter');
    el.setAttribute('api', uniqueApi());
    host.attachShadow({ mode: 'open' }).append(el);
    const events = record<CompaSubscribeDetail>(document, 'compa-subscribe');
    await reach(el, 'idle');
    await fillAndSubmit(el);
    await reach(el, 'check-inbox');

    expect(events).to.have.length(1);
    const [event] = events;
    expect(event.bubbles && event.composed).to.equal(true);
    expect(event.detail).to.deep.equal({ lists: ['urgent-actions'], locale: 'en' });
    expect(JSON.stringify(event.detail)).not.to.match(/ana|@/i);
  });

  it('a double click sends one request', async () => {
    mock.worker.use(...scenarios.slow({ submitLatency: 300 }));
    const el = await mount();
    await fill(el, VALID);
    const submitButton = get<HTMLButtonElement>(el, 'form button[type="submit"]');
    submitButton.click();
    await el.updateComplete;
    expect(norm(submitButton.textContent)).to.equal('Sending…');
    expect(submitButton.getAttribute('aria-disabled')).to.equal('true');
    submitButton.click();
    await reach(el, 'check-inbox');
    expect(posts()).to.have.length(1);
  });

  it('"Resend the email" posts again with a new idempotency key and stays on the panel', async () => {
    const el = await mount();
    const subscribed = record(document, 'compa-subscribe');
    await fillAndSubmit(el);
    await reach(el, 'check-inbox');

    button(el, 'Resend the email').click();
    await el.updateComplete;
    expect(norm(get(el, '[role="status"]').textContent)).to.equal('Sending…');
    await until(() => posts().length === 2 && norm(get(el, '[role="status"]').textContent) !== 'Sending…', () => 'the resend');

    const [first, second] = posts();
    expect(second.status).to.equal(202);
    expect(second.body).to.deep.equal(first.body);
    expect(keyOf(second)).to.be.a('string').and.not.equal(keyOf(first));
    expect(el.state).to.equal('check-inbox');
    expect(norm(get(el, '[role="status"]').textContent), 'announced again').to.match(/^We’ve sent you an email/);
    expect(subscribed, 'a resend is no new subscription').to.have.length(1);
  });

  it('"Use a different email address" returns to an empty form, focused on the email field', async () => {
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'check-inbox');

    button(el, 'Use a different email address').click();
    await reach(el, 'idle');
    expect(isShown(get(el, 'form'))).to.equal(true);
    expect(heading(el)).to.equal('Subscribe to our newsletter');
    expect(get<HTMLInputElement>(el, '#email').value).to.equal('');
    expect(get<HTMLInputElement>(el, '#consent').checked, 'consent is asked again').to.equal(false);
    expect(focused(el)?.id).to.equal('email');

    await fillAndSubmit(el, { email: 'otra@example.org', lists: ['monthly-bulletin'], consent: true });
    await reach(el, 'check-inbox');
    expect(posts().map((p) => (p.body as { email: string }).email)).to.deep.equal(['ana@example.org', 'otra@example.org']);
  });
});

describe('<compa-newsletter>: the server refuses or fails', () => {
  it('400 naming the email: our own localised message on that field (never the server’s text), focused', async () => {
    mock.worker.use(...scenarios.validationError({ fields: { email: 'This address cannot receive email' } }));
    const errors = record(document, 'compa-error');
    const el = await mount({ lang: 'es' });
    await speaks(el, 'es');
    await fillAndSubmit(el);
    await until(() => $(el, '#email-error'), () => 'the email error');

    expect(el.state).to.equal('idle');
    expect(norm(get(el, '#email-error').textContent)).to.equal(
      'Escribe una dirección de correo válida, como nombre@ejemplo.org.',
    );
    expect(get(el, '#email').getAttribute('aria-describedby')).to.equal('email-error');
    expect(get(el, '#email').getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.textContent).not.to.contain('This address cannot receive email');
    expect(focused(el)?.id).to.equal('email');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'invalid_body', status: 400 }]);
  });

  it('400 naming the consent: the consent error, focused', async () => {
    mock.worker.use(...scenarios.validationError({ fields: { consent: 'Consent must be given' } }));
    const el = await mount();
    await fillAndSubmit(el);
    await until(() => $(el, '#consent-error'), () => 'the consent error');
    expect(norm(get(el, '#consent-error').textContent)).to.equal('To subscribe, tick this box to agree.');
    expect(focused(el)?.id).to.equal('consent');
  });

  it('429: rate-limited, saying when to try again', async () => {
    mock.worker.use(...scenarios.rateLimited({ retryAfter: 120 }));
    const errors = record(document, 'compa-error');
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'rate-limited');
    expect(norm(get(el, '[role="alert"]').textContent)).to.equal('Too many attempts. Please try again in 2 minutes.');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'rate_limited', status: 429 }]);
    expect(get<HTMLInputElement>(el, '#email').value, 'the form keeps what was typed').to.equal('ana@example.org');
  });

  it('429 with a short wait says it in seconds', async () => {
    mock.worker.use(...scenarios.rateLimited({ retryAfter: 30 }));
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'rate-limited');
    expect(norm(get(el, '[role="alert"]').textContent)).to.equal('Too many attempts. Please try again in 30 seconds.');
  });

  it('500: error state; retrying the same signup reuses its idempotency key and succeeds', async () => {
    mock.worker.use(...scenarios.serverError());
    const errors = record(document, 'compa-error');
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'error');
    expect(norm(get(el, '[role="alert"]').textContent)).to.equal('Sorry, your signup was not sent. Please try again.');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'internal', status: 500 }]);
    expect(storedPending(), 'the server answered: nothing is queued').to.have.length(0);

    mock.worker.resetHandlers(); // the server recovers
    await submit(el);
    await reach(el, 'check-inbox');
    const [failed, retried] = posts();
    expect([failed.status, retried.status]).to.deep.equal([500, 202]);
    expect(keyOf(retried), 'same data, same key: the server can deduplicate').to.equal(keyOf(failed));
    expect($(el, '[role="alert"]'), 'the error is gone').to.equal(null);
  });
});

describe('<compa-newsletter>: nothing lost to a flaky network', () => {
  it('server unreachable: offline state, compa-queued, kept in localStorage; sent with the same key on `online`', async () => {
    mock.worker.use(...scenarios.offline());
    const api = uniqueApi();
    const queued = record<CompaQueuedDetail>(document, 'compa-queued');
    const subscribed = record(document, 'compa-subscribe');
    const el = await mount({ api });
    await fillAndSubmit(el);
    await reach(el, 'offline');

    expect(heading(el)).to.equal('Your signup is saved');
    expect(focused(el)?.id).to.equal('heading');
    const saying = 'We couldn’t reach our server. We saved your signup on this device and will send it as soon as possible.';
    expect(norm(get(el, '[role="status"]').textContent)).to.equal(saying);
    expect(queued.map((e) => e.detail)).to.deep.equal([{ action: 'subscribe' }]);
    expect(subscribed).to.have.length(0);
    const [stored, ...more] = storedPending();
    expect(more).to.have.length(0);
    const [lost] = posts();
    expect(stored.idempotencyKey).to.equal(keyOf(lost));
    expect(stored.api).to.equal(`${api}/api/v1`);
    expect(stored.body).to.deep.equal(lost.body);

    mock.worker.resetHandlers(); // the connection is back
    window.dispatchEvent(new Event('online'));
    await reach(el, 'check-inbox', 6000); // the widget waits ~2 s for the network to settle
    const resent = posts()[1];
    expect(resent.status).to.equal(202);
    expect(keyOf(resent)).to.equal(keyOf(lost));
    expect(resent.body).to.deep.equal(lost.body);
    expect(storedPending()).to.have.length(0);
    expect(subscribed).to.have.length(1);
  });

  it('device offline: says so, with no pointless "Try again now"', async () => {
    mock.worker.use(...scenarios.offline());
    const el = await mount();
    await whileDeviceOffline(async () => {
      await fillAndSubmit(el);
      await reach(el, 'offline');
      expect(visibleText(base(el))).to.contain(
        'You’re offline. We saved your signup and will send it when you’re back online.',
      );
      expect($$(el, 'button').filter(isShown)).to.have.length(0);
    });
  });

  it('"Try again now" sends the saved signup at once, with the same key', async () => {
    mock.worker.use(...scenarios.offline());
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'offline');

    mock.worker.resetHandlers();
    button(el, 'Try again now').click();
    await reach(el, 'check-inbox');
    const [lost, sent] = posts();
    expect(keyOf(sent)).to.equal(keyOf(lost));
    expect(storedPending()).to.have.length(0);
  });

  it('a signup is saved before it is sent: one in flight when the widget leaves the page stays queued', async () => {
    mock.worker.use(...scenarios.slow());
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'submitting');
    await until(() => posts().length === 1, () => 'the request');
    expect(storedPending().map((a) => a.idempotencyKey)).to.deep.equal([keyOf(posts()[0])]);
    el.remove();
    await aTimeout(50);
    expect(storedPending(), 'still queued for the next visit').to.have.length(1);
    expect(el.state).to.equal('submitting');
  });

  it('a signup queued on a previous visit is sent (same key) when the widget connects', async () => {
    const api = uniqueApi();
    const body = {
      email: 'luis@example.org',
      lists: ['monthly-bulletin'],
      locale: 'es',
      consent: true,
      consentText: 'Doy mi consentimiento para recibir correos electrónicos de X.',
      website: '',
    };
    seedPending(api, body, 'previous-visit-key-1');
    seedPending(uniqueApi(), body, 'another-api-key'); // another server's: not this widget's to send
    seedPending(api, body, 'expired-key', Date.now() - 8 * 24 * 3600 * 1000); // older than 7 days: dropped
    const subscribed = record<CompaSubscribeDetail>(document, 'compa-subscribe');

    const el = await mount({ api }, 'check-inbox');
    expect(posts().map(keyOf)).to.deep.equal(['previous-visit-key-1']);
    expect(posts()[0].body).to.deep.equal(body);
    expect(posts()[0].url).to.equal(`${api}/api/v1/subscriptions`);
    expect(subscribed.map((e) => e.detail)).to.deep.equal([{ lists: ['monthly-bulletin'], locale: 'es' }]);
    expect(storedPending().map((a) => a.idempotencyKey)).to.deep.equal(['another-api-key']);
    expect(heading(el)).to.equal('Check your inbox');
  });
});

describe('<compa-newsletter>: lifecycle', () => {
  it('removed while the lists load: the request is aborted, no error, no update afterwards', async () => {
    const lists = gatedLists();
    mock.worker.use(lists.handler);
    const signals: AbortSignal[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/lists')) signals.push(init!.signal!);
      return realFetch(input, init);
    };
    const events = [record(document, 'compa-ready'), record(document, 'compa-error')];
    const failures: unknown[] = [];
    const onRejection = (e: PromiseRejectionEvent) => failures.push(e.reason);
    window.addEventListener('unhandledrejection', onRejection);
    try {
      const el = await mount({}, null);
      await lists.requested;
      expect(signals).to.have.length(1);
      el.remove();
      expect(signals[0].aborted, 'the lists request is aborted').to.equal(true);
      lists.open(); // the server answers anyway
      await lists.answered;
      await aTimeout(100);
      expect(el.state).to.equal('loading');
      expect(el.offered, 'nothing loaded after disconnect').to.deep.equal([]);
      expect(events.flat()).to.have.length(0);
      expect(failures).to.have.length(0);

      // Put back on the page (moved in the DOM): it loads again.
      document.body.append(el);
      await reach(el, 'idle');
      el.remove();
    } finally {
      window.fetch = realFetch;
      window.removeEventListener('unhandledrejection', onRejection);
    }
  });

  it('defining twice is safe (the script embedded twice)', async () => {
    const Defined = customElements.get('compa-newsletter');
    expect(Defined).to.equal(CompaNewsletter);
    expect(() => CompaNewsletter.define('compa-newsletter')).not.to.throw();

    // A second copy of the module (another <script> with the same code): a new class, same tag.
    const url = new URL('../../src/widgets/newsletter/compa-newsletter.ts', import.meta.url);
    url.search = '?copy=2';
    const copy = (await import(url.href)) as typeof import('../../src/widgets/newsletter/compa-newsletter.ts');
    const other = new URL('../../src/widgets/newsletter/newsletter.ts', import.meta.url);
    other.search = '?copy=3';
    const { CompaNewsletter: Other } = (await import(other.href)) as typeof import('../../src/widgets/newsletter/newsletter.ts');
    expect(Other).not.to.equal(CompaNewsletter);
    expect(() => Other.define('compa-newsletter')).not.to.throw();
    expect(copy.CompaNewsletter).to.equal(CompaNewsletter);
    expect(customElements.get('compa-newsletter')).to.equal(CompaNewsletter);
    await mount(); // still works
  });
});

describe('<compa-newsletter>: hostile page CSS', () => {
  let style: HTMLStyleElement | undefined;
  afterEach(() => style?.remove());

  it('page rules do not reach inside: the submit button keeps its border and background', async () => {
    style = document.createElement('style');
    style.textContent = `button{all:unset} *{font-size:30px!important}
      .hostile{text-transform:uppercase;letter-spacing:4px;color:red;text-align:center;white-space:nowrap}`;
    document.head.append(style);
    const wrapper = await fixture<HTMLDivElement>(html`<div class="hostile" style="width:600px">
      <button id="page-button">page</button>
      <compa-newsletter api=${uniqueApi()}></compa-newsletter>
    </div>`);
    const el = wrapper.querySelector('compa-newsletter')!;
    await reach(el, 'idle');

    // The page's own button is stripped by its rule: the rule is live.
    expect(getComputedStyle(wrapper.querySelector('#page-button')!).borderTopStyle).to.equal('none');
    const submitStyle = getComputedStyle(get(el, 'form button[type="submit"]'));
    expect(submitStyle.borderTopStyle).to.equal('solid');
    expect(submitStyle.borderTopWidth).to.equal('2px');
    expect(submitStyle.backgroundColor).to.equal('rgb(29, 78, 216)');
    expect(submitStyle.color).to.equal('rgb(255, 255, 255)');
    expect(submitStyle.cursor).to.equal('pointer');

    // Inherited properties do cross the shadow boundary: the widget resets them (the font itself is deliberately the page's).
    const text = getComputedStyle(get(el, '[part~="heading"]'));
    expect(text.textTransform).to.equal('none');
    expect(text.letterSpacing).to.equal('normal');
    expect(text.color).to.equal('rgb(31, 35, 40)');
    expect(text.textAlign).to.equal('start');
    expect(text.whiteSpace).to.equal('normal');
    expect(getComputedStyle(base(el)).fontSize).to.equal('30px');
    expect(base(el).scrollWidth, 'no horizontal overflow at the big font size').to.be.at.most(base(el).clientWidth);
  });
});

describe('<compa-newsletter>: offline queue with several widgets and resends', () => {
  it('a signup queued by one widget and sent by another widget on the same API confirms on the one that was used', async () => {
    // Two signups on one page (header and footer) talking to the same server. The supporter uses the second.
    mock.worker.use(...scenarios.offline());
    const api = uniqueApi();
    const page = await fixture<HTMLDivElement>(html`<div>
      <compa-newsletter api=${api}></compa-newsletter>
      <compa-newsletter api=${api}></compa-newsletter>
    </div>`);
    const [header, footer] = [...page.querySelectorAll('compa-newsletter')];
    await reach(header, 'idle');
    await reach(footer, 'idle');
    await fillAndSubmit(footer);
    await reach(footer, 'offline');

    mock.worker.resetHandlers();
    window.dispatchEvent(new Event('online')); // whichever controller flushes first sends the footer's signup
    await until(() => storedPending().length === 0, () => 'the queued signup to be sent', 6000);
    expect(posts().map((p) => p.status)).to.deep.equal(['network-error', 202]);
    await reach(footer, 'check-inbox', 1000);
    expect(header.state).to.equal('idle');
  });

  it('a "Resend the email" that cannot go out is not queued and is no new subscription', async () => {
    const subscribed = record(document, 'compa-subscribe');
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'check-inbox');

    mock.worker.use(...scenarios.offline());
    button(el, 'Resend the email').click();
    await until(() => posts().length === 2, () => 'the resend to be attempted');
    await el.updateComplete;
    expect(el.state).to.equal('check-inbox', 'the supporter stays on the panel');
    expect(storedPending()).to.have.length(0, 'a resend is never kept for later');
    expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent?.trim(), 'the failure is said').to.not.be.empty;

    mock.worker.resetHandlers();
    button(el, 'Resend the email').click();
    await until(() => posts().filter((p) => p.status === 202).length === 2, () => 'the second resend to be accepted');
    expect(subscribed).to.have.length(1, 'analytics count the signup once');
  });
});
