/**
 * `<compa-petition>` in a real Chromium, against the mocked API (`test/mocks/petition-handlers.ts`, checked with
 * the shared zod schemas): what a supporter sees and does, and what the page and the server receive.
 * Counter and countdown: petition.live.test.ts; sharing: petition.share.test.ts; one-click and action links:
 * petition.oneclick.test.ts; languages: petition.i18n.test.ts; accessibility and layout: petition.a11y.test.ts.
 */
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import type { CompaSignDetail } from '../../src/widgets/petition/compa-petition.ts';
import { CompaPetition, SUPPORTER_KEY } from '../../src/widgets/petition/compa-petition.ts';
import { COUNTRY_CODES } from '../../src/widgets/petition/countries.ts';
import { COMMENT_MAX, FIRST_NAME_MAX, LAST_NAME_MAX } from '../../src/schemas/limits.ts';
import { DEMO_ORGANISATION, DEMO_PRIVACY_POLICY_URL } from '../mocks/handlers.ts';
import {
  DEMO_SLUG,
  DEMO_TEXTS,
  PETITION_URL,
  acceptedSignatures,
  demoPetition,
  petitionHandlers,
  petitionScenarios,
} from '../mocks/petition-handlers.ts';
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
  stateHistory,
  storedPending,
  stub,
  submit,
  text,
  until,
  useWidgetPage,
  visibleText,
  whileDeviceOffline,
} from './common.helpers.ts';
import { VALID, fill, fillAndSubmit, mount, seedPending, status, uniqueApi } from './petition.helpers.ts';

const mock = useWidgetPage();

const EN = DEMO_TEXTS.en;

describe('<compa-petition>: loading the petition', () => {
  it('shows "Loading…", then the petition: title, summary, target, text, counter and form, in the element’s locale', async () => {
    mock.worker.use(...petitionHandlers({ latency: 300 }));
    const ready = record(document, 'compa-ready');
    const api = uniqueApi();
    const el = await mount({ api }, null);
    expect(el.state).to.equal('loading');
    expect(text(el, '[part~="message"]')).to.equal('Loading…');
    expect($(el, 'form'), 'no form before the petition arrives').to.equal(null);

    await reach(el, 'idle');
    expect(gets('/petitions/')[0].url).to.equal(`${api}/api/v1/petitions/${DEMO_SLUG}?locale=en`);
    expect(ready.map((e) => e.detail)).to.deep.equal([{ campaign: DEMO_SLUG }]);
    const h = get(el, '[part~="heading"]');
    expect([h.getAttribute('role'), h.getAttribute('aria-level'), norm(h.textContent)]).to.deep.equal(['heading', '2', EN.title]);
    expect(h.getAttribute('lang'), 'the petition’s texts carry their own language').to.equal('en');
    expect(text(el, '[part~="summary"]')).to.equal(EN.summary);
    expect(text(el, '[part~="target"]')).to.equal(`To: ${EN.target}`);
    expect(get(el, '[part~="body"]').localName, 'the text is collapsible').to.equal('details');
    expect(get<HTMLDetailsElement>(el, '[part~="body"]').open, 'collapsed: the action stays above the fold').to.equal(false);
    expect(text(el, '[part~="body"] summary')).to.equal('Read more');
    expect(isShown(get(el, 'form'))).to.equal(true);
    expect(text(el, 'form button[type="submit"]')).to.equal('Sign');
  });

  it('`heading-level` sets the title’s level', async () => {
    const el = await mount({ headingLevel: 3 });
    expect(get(el, '[part~="heading"]').getAttribute('aria-level')).to.equal('3');
  });

  it('with `data` set before connecting, the petition is not fetched', async () => {
    const el = await mount({ data: demoPetition('en', { petition: { title: 'Given as data' } }) });
    expect(text(el, '[part~="heading"]')).to.equal('Given as data');
    expect(gets(`/petitions/${DEMO_SLUG}`).filter((r) => new URL(r.url).search.includes('locale'))).to.have.length(0);
  });

  it('`compact` leaves out the summary and the text', async () => {
    const el = await mount({ compact: true });
    expect($(el, '[part~="summary"]')).to.equal(null);
    expect($(el, '[part~="body"]')).to.equal(null);
    expect(isShown(get(el, 'form'))).to.equal(true);
  });

  it('a petition that fails to load: an error and "Try again", which loads it', async () => {
    mock.worker.use(...petitionScenarios.loadFailure());
    const errors = record(document, 'compa-error');
    const el = await mount({}, 'load-error');
    expect(text(el, '[role="alert"]')).to.equal('The petition couldn’t load. Check your connection and try again.');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'internal', status: 500 }]);
    expect($(el, 'form')).to.equal(null);

    mock.worker.resetHandlers(); // the server is back
    button(el, 'Try again').click();
    await reach(el, 'idle');
    await until(() => focused(el)?.id === 'heading', () => 'focus back on the heading');
    expect(text(el, '[part~="heading"]')).to.equal(EN.title);
  });

  it('an unknown petition: not-found, no form, a `not_found` compa-error', async () => {
    const errors = record(document, 'compa-error');
    const el = await mount({ campaign: 'no-such-petition' }, 'not-found');
    expect(text(el, '[part~="message"]')).to.equal('This petition doesn’t exist or is no longer online.');
    expect($(el, 'form')).to.equal(null);
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'not_found', status: 404 }]);

    const none = await mount({ campaign: null }, 'not-found');
    expect($(none, 'form'), 'no campaign attribute: nothing to sign').to.equal(null);
  });

  it('removed while loading: the request is aborted and nothing happens afterwards', async () => {
    mock.worker.use(...petitionHandlers({ latency: 200 }));
    const errors = record(document, 'compa-error');
    const ready = record(document, 'compa-ready');
    const el = await mount({}, null);
    el.remove();
    await aTimeout(400);
    expect(errors).to.have.length(0);
    expect(ready).to.have.length(0);
    expect(el.state).to.equal('loading');
  });

  it('defining twice is safe (the script embedded twice)', () => {
    expect(() => CompaPetition.define('compa-petition')).not.to.throw();
    expect(customElements.get('compa-petition')).to.equal(CompaPetition);
  });
});

describe('<compa-petition>: the text is rendered safely', () => {
  const HOSTILE =
    '<p onclick="window.__pwned=1" style="color:red">Hello <strong>world</strong> <span>kept text</span></p>' +
    '<script>window.__pwned=2</script><img src="x" onerror="window.__pwned=3"><iframe src="https://evil.example"></iframe>' +
    '<a href="javascript:window.__pwned=4">bad link</a> <a href="https://ngo.example/r" onclick="x()">good link</a>' +
    '<a href="mailto:info@ngo.example">mail</a><style>*{display:none}</style><h3>Sub</h3><blockquote>Quote</blockquote>' +
    '<form><input name="x"></form><svg><script>window.__pwned=5</script></svg>';

  it('keeps only allowed elements, without attributes; links are http(s)/mailto, new tab, no opener', async () => {
    const w = window as { __pwned?: number };
    delete w.__pwned;
    const el = await mount({ data: demoPetition('en', { petition: { bodyHtml: HOSTILE } }) });
    const body = get(el, '[part~="body"] > div');
    await aTimeout(50);
    expect(w.__pwned, 'nothing ran').to.equal(undefined);
    expect([...body.querySelectorAll('*')].map((n) => n.localName)).to.deep.equal(['p', 'strong', 'a', 'a', 'a', 'h3', 'blockquote']);
    expect([...body.querySelectorAll('p, strong, h3, blockquote')].every((n) => n.attributes.length === 0)).to.equal(true);
    expect(norm(body.querySelector('p')!.textContent), 'unknown elements keep their text').to.equal('Hello world kept text');
    const [bad, good, mail] = [...body.querySelectorAll('a')];
    expect(bad.hasAttribute('href'), 'a javascript: link loses its href').to.equal(false);
    expect([good.getAttribute('href'), good.target, good.rel, good.getAttribute('onclick')]).to.deep.equal([
      'https://ngo.example/r',
      '_blank',
      'noopener noreferrer',
      null,
    ]);
    expect(mail.getAttribute('href')).to.equal('mailto:info@ngo.example');
    expect(body.textContent, 'no code shown as text').not.to.match(/pwned|display:none/);
  });
});

describe('<compa-petition>: the form', () => {
  it('asks for first name, last name (optional here), email and country, with autocomplete tokens and server limits', async () => {
    const el = await mount();
    const label = (id: string) => norm(get(el, `label[for="${id}"]`).textContent);
    expect(['firstName', 'lastName', 'email', 'country', 'comment'].map(label)).to.deep.equal([
      'First name',
      'Last name (optional)',
      'Email address',
      'Country',
      'Comment (optional)',
    ]);
    const input = (id: string) => get<HTMLInputElement>(el, `#${id}`);
    expect(['firstName', 'lastName', 'email', 'country'].map((id) => input(id).autocomplete)).to.deep.equal([
      'given-name',
      'family-name',
      'email',
      'country',
    ]);
    expect(input('email').type).to.equal('email');
    expect([input('firstName').maxLength, input('lastName').maxLength]).to.deep.equal([FIRST_NAME_MAX, LAST_NAME_MAX]);
    expect(get<HTMLTextAreaElement>(el, '#comment').maxLength).to.equal(COMMENT_MAX);
  });

  it('lists every country by its name in the element’s language, sorted for that language', async () => {
    const el = await mount({ lang: 'fr' });
    await until(() => $(el, 'option[value="DE"]')?.textContent === 'Allemagne', () => 'French country names');
    const options = $$<HTMLOptionElement>(el, '#country option');
    expect(options[0].value, 'an empty first choice').to.equal('');
    const codes = options.slice(1).map((o) => o.value);
    expect(codes).to.have.members([...COUNTRY_CODES]);
    expect(codes.length).to.be.greaterThan(240);
    const names = options.slice(1).map((o) => o.textContent!);
    expect(names).to.deep.equal([...names].sort(new Intl.Collator('fr').compare));
    expect(names.indexOf('Égypte'), 'É sorts with E, not after Z').to.be.lessThan(names.indexOf('Espagne'));
  });

  it('pre-selects the country of the browser’s language region (es-CO → Colombia), else none', async () => {
    stub(navigator, 'languages', ['es-CO', 'es'] as readonly string[]);
    const el = await mount();
    expect(get<HTMLSelectElement>(el, '#country').value).to.equal('CO');

    stub(navigator, 'languages', ['fr', 'en'] as readonly string[]);
    const none = await mount();
    expect(get<HTMLSelectElement>(none, '#country').value).to.equal('');
  });

  it('the last name follows the petition: required (and checked), or not asked at all', async () => {
    const required = await mount({ data: demoPetition('en', { petition: { lastName: 'required' } }) });
    expect(norm(get(required, 'label[for="lastName"]').textContent)).to.equal('Last name');
    await fillAndSubmit(required, { ...VALID, lastName: '' });
    expect(text(required, '#lastName-error')).to.equal('Enter your last name.');
    expect(posts()).to.have.length(0);

    mock.worker.use(...petitionScenarios.open({ petition: { lastName: 'hidden' } }));
    const hidden = await mount();
    expect($(hidden, '#lastName')).to.equal(null);
    await fillAndSubmit(hidden, { ...VALID, lastName: undefined });
    await reach(hidden, 'signed');
    expect(posts()[0].body).not.to.have.property('lastName');
  });

  it('nothing is pre-ticked; "keep me informed" names the list and links the privacy policy', async () => {
    const el = await mount();
    expect(get<HTMLInputElement>(el, '#keepInformed').checked).to.equal(false);
    expect(get<HTMLInputElement>(el, '#remember').checked).to.equal(false);
    expect(visibleText(get(el, '#keep-label'))).to.equal(
      `Keep me informed by email: “Urgent actions” from ${DEMO_ORGANISATION} (privacy policy).`,
    );
    const link = get<HTMLAnchorElement>(el, '#keep-label a');
    expect([link.href, link.target, link.rel]).to.deep.equal([DEMO_PRIVACY_POLICY_URL, '_blank', 'noopener noreferrer']);
  });

  it('no "keep me informed" box when the petition offers no list; no link without a privacy policy', async () => {
    const none = await mount({ data: demoPetition('en', { petition: { keepInformed: null } }) });
    expect($(none, '#keepInformed')).to.equal(null);
    const noLink = await mount({ data: demoPetition('en', { petition: { privacyPolicyUrl: 'javascript:alert(1)' } }) });
    expect($(noLink, '#keep-label a')).to.equal(null);
    expect(visibleText(get(noLink, '#keep-label'))).to.equal(`Keep me informed by email: “Urgent actions” from ${DEMO_ORGANISATION}.`);
  });

  it('`no-remember` hides "Remember me on this device"', async () => {
    const el = await mount({ noRemember: true });
    expect($(el, '#remember')).to.equal(null);
  });

  it('has a honeypot that people never meet: hidden from sight and screen readers, out of the tab order', async () => {
    const el = await mount();
    const trap = get<HTMLInputElement>(el, '#website');
    expect(trap.closest('[aria-hidden="true"]')).to.not.equal(null);
    expect([trap.tabIndex, trap.autocomplete]).to.deep.equal([-1, 'off']);
    const box = trap.closest('.vh')!.getBoundingClientRect();
    expect([box.width, box.height], 'a visually hidden 1 px box').to.deep.equal([1, 1]);
    expect(getComputedStyle(trap.closest('.vh')!).clipPath).to.equal('inset(50%)');
  });
});

describe('<compa-petition>: checks before sending', () => {
  it('an empty form sends nothing, ties each error to its field and focuses the first one', async () => {
    stub(navigator, 'languages', ['en'] as readonly string[]);
    const el = await mount();
    await submit(el);
    expect(posts()).to.have.length(0);
    const described = (id: string) => {
      const field = get(el, `#${id}`);
      const ids = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
      expect(field.getAttribute('aria-invalid'), id).to.equal('true');
      return ids.map((i) => text(el, `#${i}`)).join(' ');
    };
    expect(described('firstName')).to.equal('Enter your first name.');
    expect(described('email')).to.equal('Enter your email address.');
    expect(described('country')).to.equal('Choose your country.');
    expect(get(el, '#lastName').getAttribute('aria-invalid'), 'the last name is optional here').to.equal('false');
    await until(() => focused(el)?.id === 'firstName', () => 'focus on the first name');
  });

  it('an address that is not one: its own message, focused', async () => {
    const el = await mount();
    await fillAndSubmit(el, { ...VALID, email: 'ana@example' });
    expect(text(el, '#email-error')).to.equal('Enter a valid email address, like name@example.org.');
    await until(() => focused(el)?.id === 'email', () => 'focus on the email');
    expect(posts()).to.have.length(0);
  });

  it('the server’s 400 maps to our own messages on its fields (never its English text), focused', async () => {
    mock.worker.use(...petitionScenarios.validationError({ fields: { email: 'Mailbox does not exist', lastName: 'Must not contain control characters' } }));
    const errors = record(document, 'compa-error');
    const el = await mount();
    await fillAndSubmit(el);
    await until(() => $(el, '#email-error'), () => 'the email error');
    expect(el.state).to.equal('idle');
    expect(text(el, '#lastName-error')).to.equal('Please check this field.');
    expect(text(el, '#email-error')).to.equal('Enter a valid email address, like name@example.org.');
    expect(el.shadowRoot!.textContent).not.to.match(/Mailbox|control characters/);
    await until(() => focused(el)?.id === 'lastName', () => 'focus on the first invalid field');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'invalid_body', status: 400 }]);
  });
});

describe('<compa-petition>: signing', () => {
  it('sends the contract body with an Idempotency-Key, goes submitting → signed, announces and focuses the thanks', async () => {
    const el = await mount();
    const states = stateHistory(el);
    const statusRegion = get(el, '[role="status"]');
    expect(statusRegion.getAttribute('aria-live'), 'the live region exists before it speaks').to.equal('polite');
    await fill(el, { ...VALID, comment: '  Protect them now.  ' });
    await submit(el);
    await reach(el, 'signed');
    expect(states).to.deep.equal(['submitting', 'signed']);
    const [post] = posts();
    expect(post.url).to.match(new RegExp(`/api/v1/petitions/${DEMO_SLUG}/signatures$`));
    expect(keyOf(post)).to.match(/^[A-Za-z0-9._:-]{8,}$/);
    expect(post.body).to.deep.equal({
      firstName: 'Ana',
      lastName: 'García',
      email: 'ana@example.org',
      country: 'CO',
      comment: 'Protect them now.',
      locale: 'en',
      website: '',
    });
    expect(post.status).to.equal(202);
    expect(acceptedSignatures).to.have.length(1);
    expect(get(el, '[role="status"]'), 'the same live region').to.equal(statusRegion);
    expect(status(el)).to.equal('Thank you! Your signature has been counted.');
    expect(text(el, '#result')).to.equal('Thank you! Your signature has been counted.');
    await until(() => focused(el)?.id === 'result', () => 'focus on the thanks');
    expect(isShown(get(el, 'form')), 'the form is gone').to.equal(false);
    // The 202 carries the count before the request; the live stream brings the new one.
    await until(() => text(el, '[part~="count"]') === '1,235', () => 'the count with this signature (live stream)');
  });

  it('dispatches compa-sign out of a surrounding shadow root, with no personal data', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('compa-petition');
    el.setAttribute('api', uniqueApi());
    el.setAttribute('campaign', DEMO_SLUG);
    host.attachShadow({ mode: 'open' }).append(el);
    const events = record<CompaSignDetail>(document, 'compa-sign');
    await reach(el, 'idle');
    await fillAndSubmit(el);
    await reach(el, 'signed');
    expect(events).to.have.length(1);
    expect(events[0].bubbles && events[0].composed).to.equal(true);
    expect(events[0].detail).to.deep.equal({ campaign: DEMO_SLUG, status: 'counted', locale: 'en' });
  });

  it('a double click sends one request', async () => {
    mock.worker.use(...petitionScenarios.signSlow({ signLatency: 300 }));
    const el = await mount();
    await fill(el, VALID);
    const b = get<HTMLButtonElement>(el, 'form button[type="submit"]');
    b.click();
    await el.updateComplete;
    expect(norm(b.textContent)).to.equal('Signing…');
    expect(b.getAttribute('aria-disabled')).to.equal('true');
    b.click();
    await reach(el, 'signed');
    expect(posts()).to.have.length(1);
  });

  it('signing twice (another visit, same address) gets the same answer as the first and counts once', async () => {
    const first = await mount();
    await fillAndSubmit(first);
    await reach(first, 'signed');
    const second = await mount();
    await fillAndSubmit(second);
    await reach(second, 'signed');
    expect(text(second, '#result')).to.equal(text(first, '#result'));
    expect(posts().map((p) => p.status)).to.deep.equal([202, 202]);
    expect(keyOf(posts()[1])).not.to.equal(keyOf(posts()[0]));
    expect(acceptedSignatures, 'counted once').to.have.length(1);
    expect(text(second, '[part~="count"]')).to.equal('1,235');
  });

  it('a petition that verifies by email: check-inbox, saying it counts once confirmed, with sharing', async () => {
    mock.worker.use(...petitionScenarios.verify());
    const events = record<CompaSignDetail>(document, 'compa-sign');
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'check-inbox');
    expect(text(el, '#result')).to.equal(
      'Almost done: we’ve sent you an email. Click the link in it to confirm your signature. It counts once confirmed.',
    );
    expect(status(el)).to.equal(text(el, '#result'));
    expect(events.map((e) => e.detail.status)).to.deep.equal(['pending_verification']);
    expect(text(el, '[part~="count"]'), 'not counted yet').to.equal('1,234');
    expect($(el, '[part~="share"]'), 'sharing is offered').to.not.equal(null);
  });

  it('"keep me informed" ticked: sends it with the exact consent text shown', async () => {
    const el = await mount();
    await fillAndSubmit(el, { ...VALID, keepInformed: true });
    await reach(el, 'signed');
    expect(posts()[0].body).to.include({
      keepInformed: true,
      consentText: `Keep me informed by email: “Urgent actions” from ${DEMO_ORGANISATION} (privacy policy).`,
    });
  });

  it('a filled honeypot is sent as it is (the server then stores nothing)', async () => {
    const el = await mount();
    get<HTMLInputElement>(el, '#website').value = 'http://spam.example';
    await fillAndSubmit(el);
    await reach(el, 'signed');
    expect((posts()[0].body as { website: string }).website).to.equal('http://spam.example');
    expect(acceptedSignatures).to.have.length(0);
  });
});

describe('<compa-petition>: closed petitions', () => {
  it('a closed petition shows its outcome and frozen count, says it is closed, and has no form', async () => {
    mock.worker.use(...petitionScenarios.closed());
    const el = await mount({}, 'closed');
    expect(visibleText(base(el))).to.contain('This petition is closed.');
    expect(text(el, '[part~="outcome"]')).to.equal(EN.outcome);
    expect(text(el, '[part~="count"]')).to.equal('6,021');
    expect($(el, 'form'), 'no form').to.equal(null);
    expect($(el, '[part~="deadline"]')).to.equal(null);
    expect(gets('/events'), 'no live stream for a closed petition').to.have.length(0);
  });

  it('a signature refused with 409 `petition_closed`: closed state, form gone, outcome loaded', async () => {
    mock.worker.use(...petitionScenarios.closesOnSign());
    const errors = record(document, 'compa-error');
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'closed');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'petition_closed', status: 409 }]);
    expect(visibleText(base(el))).to.contain('This petition is closed.');
    expect($(el, 'form')).to.equal(null);
    await until(() => $(el, '[part~="outcome"]'), () => 'the outcome, from a reload');
    expect(text(el, '[part~="outcome"]')).to.equal(EN.outcome);
  });
});

describe('<compa-petition>: the server refuses or fails', () => {
  it('429: rate-limited, saying when to try again; the form keeps what was typed', async () => {
    mock.worker.use(...petitionScenarios.rateLimited({ retryAfter: 120 }));
    const errors = record(document, 'compa-error');
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'rate-limited');
    expect(text(el, '[role="alert"]')).to.equal('Too many attempts. Please try again in 2 minutes.');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'rate_limited', status: 429 }]);
    expect(get<HTMLInputElement>(el, '#email').value).to.equal('ana@example.org');
  });

  it('500: error state; retrying the same signature reuses its idempotency key and succeeds', async () => {
    mock.worker.use(...petitionScenarios.serverError());
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'error');
    expect(text(el, '[role="alert"]')).to.equal('Sorry, your signature was not sent. Please try again.');
    expect(storedPending(), 'an answer: nothing stays queued').to.have.length(0);

    mock.worker.resetHandlers();
    await submit(el);
    await reach(el, 'signed');
    const [a, b] = posts();
    expect(keyOf(b)).to.equal(keyOf(a));
  });
});

describe('<compa-petition>: nothing lost to a flaky network', () => {
  it('server unreachable: offline, compa-queued, kept on the device; sent with the same key on `online`', async () => {
    mock.worker.use(...petitionScenarios.offline());
    const queued = record(document, 'compa-queued');
    const signed = record<CompaSignDetail>(document, 'compa-sign');
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'offline');
    expect(queued.map((e) => e.detail)).to.deep.equal([{ action: 'sign' }]);
    expect(text(el, '#result')).to.equal(
      'We couldn’t send your signature yet. It’s saved on this device and will be sent as soon as possible.',
    );
    expect(status(el)).to.equal(text(el, '#result'));
    const [saved] = storedPending();
    expect(saved.path).to.equal(`/petitions/${DEMO_SLUG}/signatures`);
    expect(saved.idempotencyKey).to.equal(keyOf(posts()[0]));

    mock.worker.resetHandlers(); // back online
    window.dispatchEvent(new Event('online'));
    await reach(el, 'signed', 6000);
    expect(keyOf(posts()[1])).to.equal(saved.idempotencyKey);
    expect(storedPending()).to.have.length(0);
    expect(signed.map((e) => e.detail)).to.deep.equal([{ campaign: DEMO_SLUG, status: 'counted', locale: 'en' }]);
  });

  it('"Try again now" sends the saved signature at once with the same key; none while the device is offline', async () => {
    mock.worker.use(...petitionScenarios.offline());
    const el = await mount();
    await whileDeviceOffline(async () => {
      await fillAndSubmit(el);
      await reach(el, 'offline');
      expect(() => button(el, 'Try again now')).to.throw();
    });
    el.requestUpdate();
    await el.updateComplete;
    mock.worker.resetHandlers();
    button(el, 'Try again now').click();
    await reach(el, 'signed');
    expect(keyOf(posts()[1])).to.equal(keyOf(posts()[0]));
  });

  it('a saved signature refused later because the petition closed in between: closed', async () => {
    mock.worker.use(...petitionScenarios.offline());
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'offline');
    mock.worker.resetHandlers();
    mock.worker.use(...petitionScenarios.closesOnSign());
    button(el, 'Try again now').click();
    await reach(el, 'closed');
    expect(storedPending()).to.have.length(0);
    expect(visibleText(base(el))).to.contain('This petition is closed.');
  });

  it('a signature queued on an earlier visit is sent (same key) when the widget connects, and shown', async () => {
    const api = uniqueApi();
    const body = { ...VALID, locale: 'en', website: '' };
    seedPending(api, body, 'earlier-visit-key');
    const signed = record<CompaSignDetail>(document, 'compa-sign');
    const el = await mount({ api }, null);
    await reach(el, 'signed');
    expect(keyOf(posts()[0])).to.equal('earlier-visit-key');
    expect(posts()[0].body).to.deep.equal(body);
    expect(signed.map((e) => e.detail.status)).to.deep.equal(['counted']);
    expect(storedPending()).to.have.length(0);
  });
});

describe('<compa-petition>: remember me', () => {
  it('not ticked: nothing is stored on the device', async () => {
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'signed');
    expect(localStorage.getItem(SUPPORTER_KEY)).to.equal(null);
  });

  it('ticked: the details are stored in the page’s localStorage only once the signature is accepted (no cookie)', async () => {
    mock.worker.use(...petitionScenarios.signSlow({ signLatency: 300 }));
    const cookies = document.cookie;
    const el = await mount();
    await fillAndSubmit(el, { ...VALID, comment: 'private words', remember: true });
    await reach(el, 'submitting');
    expect(localStorage.getItem(SUPPORTER_KEY), 'not before the answer').to.equal(null);
    await reach(el, 'signed');
    expect(JSON.parse(localStorage.getItem(SUPPORTER_KEY)!)).to.deep.equal({
      firstName: 'Ana',
      lastName: 'García',
      email: 'ana@example.org',
      country: 'CO',
    });
    expect(document.cookie).to.equal(cookies);
  });

  it('ticked and queued offline: remembered too', async () => {
    mock.worker.use(...petitionScenarios.offline());
    const el = await mount();
    await fillAndSubmit(el, { ...VALID, remember: true });
    await reach(el, 'offline');
    expect(JSON.parse(localStorage.getItem(SUPPORTER_KEY)!)).to.include({ firstName: 'Ana', email: 'ana@example.org' });
  });

  it('ticked but refused (400): nothing remembered', async () => {
    mock.worker.use(...petitionScenarios.validationError());
    const el = await mount();
    await fillAndSubmit(el, { ...VALID, remember: true });
    await until(() => $(el, '#email-error'), () => 'the email error');
    expect(localStorage.getItem(SUPPORTER_KEY)).to.equal(null);
  });
});

describe('<compa-petition>: events carry no personal data', () => {
  it('no name, email, country, comment or token in any event', async () => {
    const names = ['compa-ready', 'compa-sign', 'compa-share', 'compa-error', 'compa-queued'];
    const seen = names.flatMap((n) => [record(document, n)]);
    const el = await mount();
    await fillAndSubmit(el, { ...VALID, comment: 'Secret comment', remember: true });
    await reach(el, 'signed');
    mock.worker.use(...petitionScenarios.offline());
    const other = await mount({}, 'one-click');
    button(other, 'Not you?').click();
    await reach(other, 'idle');
    await fillAndSubmit(other, { ...VALID, email: 'beto@example.org' });
    await reach(other, 'offline');
    const all = seen.flat();
    expect(all.length).to.be.greaterThan(3);
    const json = JSON.stringify(all.map((e) => e.detail));
    expect(json).not.to.match(/ana|garc|beto|@|secret|"CO"|tok_/i);
  });
});

describe('<compa-petition>: hostile page CSS', () => {
  it('page rules do not reach inside: the sign button keeps its border and background', async () => {
    const style = document.createElement('style');
    style.textContent = 'button { all: unset !important; } * { font-size: 30px !important; color: red !important; }';
    document.head.append(style);
    try {
      const el = await mount();
      const b = getComputedStyle(get(el, 'form button[type="submit"]'));
      expect(b.borderTopStyle).to.equal('solid');
      expect(b.backgroundColor).to.equal('rgb(29, 78, 216)');
    } finally {
      style.remove();
    }
  });
});

describe('<compa-petition>: the petition of another page is not mixed in', () => {
  it('a queued signature for another petition is sent but does not change this one', async () => {
    const api = uniqueApi();
    seedPending(api, { ...VALID, locale: 'en' }, 'other-petition-key', 'another-petition');
    mock.worker.use(http.post(`*/api/v1/petitions/another-petition/signatures`, () => HttpResponse.json({ status: 'counted', count: 1 }, { status: 202 })));
    const el = await mount({ api });
    await until(() => storedPending().length === 0, () => 'the other petition’s signature sent');
    expect(el.state).to.equal('idle');
    void PETITION_URL;
  });
});

describe('<compa-petition>: review fixes (closed, moved, several petitions on a page)', () => {
  it('a closed petition whose count is below the threshold shows no call to sign ("Help us reach…")', async () => {
    mock.worker.use(...petitionHandlers({ petition: { status: 'closed', deadline: null, count: 40, countThreshold: 100 } }));
    const el = await mount({}, 'closed');
    expect(visibleText(base(el))).not.to.contain('Help us reach');
    expect($(el, '[part~="counter"]'), 'no counter at all: the count stays hidden').to.equal(null);
    expect(text(el, '[part~="outcome"]')).to.equal(EN.outcome);
  });

  it('a closed petition past its goal shows the goal it reached, not a next goal to aim for', async () => {
    mock.worker.use(...petitionScenarios.closed());
    const el = await mount({}, 'closed');
    expect(text(el, '[part~="goal"]')).to.equal('Goal: 5,000');
    const bar = get(el, '[role="progressbar"]');
    expect([bar.getAttribute('aria-valuemax'), bar.getAttribute('aria-valuenow')]).to.deep.equal(['5000', '5000']);
    expect(bar.getAttribute('aria-valuetext')).to.equal('6,021 of 5,000 signatures');
  });

  it('409 while signing: the closing is announced and focus goes to it (not lost with the form)', async () => {
    mock.worker.use(...petitionScenarios.closesOnSign());
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'closed');
    await until(() => status(el) === 'This petition is closed.', () => `the announcement (it is "${status(el)}")`);
    await until(() => focused(el)?.id === 'closed', () => `focus on the closed message (it is on ${focused(el)?.id ?? document.activeElement?.localName})`);
  });

  it('moved in the page while signing: not stuck on "Signing…"; the signature is sent with its key and thanked', async () => {
    mock.worker.use(...petitionScenarios.signSlow({ signLatency: 300 }));
    const el = await mount();
    const parent = el.parentElement!;
    await fillAndSubmit(el);
    await reach(el, 'submitting');
    el.remove(); // aborts the request: the signature stays queued on the device
    parent.append(el);
    await reach(el, 'signed', 6000);
    const keys = posts().map(keyOf);
    expect(keys.length).to.be.at.least(2);
    expect(new Set(keys).size, 'the same idempotency key').to.equal(1);
    expect(storedPending()).to.have.length(0);
  });

  it('a signature left by an earlier visit, sent by another petition’s element on the page, is thanked by its own', async () => {
    const api = uniqueApi();
    seedPending(api, { ...VALID, locale: 'en', website: '' }, 'earlier-visit-other-element');
    const signedEvents = record<CompaSignDetail>(document, 'compa-sign');
    // The first element (another petition, unknown here) connects first, so its queue sends the write.
    const root = await fixture<HTMLDivElement>(html`<div>
      <compa-petition api=${api} campaign="another-petition"></compa-petition>
      <compa-petition api=${api} campaign=${DEMO_SLUG}></compa-petition>
    </div>`);
    const [, el] = [...root.querySelectorAll('compa-petition')];
    await reach(el, 'signed');
    expect(keyOf(posts()[0])).to.equal('earlier-visit-other-element');
    expect(signedEvents.map((e) => e.detail)).to.deep.equal([{ campaign: DEMO_SLUG, status: 'counted', locale: 'en' }]);
  });
});

describe('<compa-petition>: a saved signature sent by a newsletter element on the page', () => {
  it('is thanked by the petition element, and the newsletter shows nothing', async () => {
    await import('../../src/widgets/newsletter/compa-newsletter.ts');
    const api = uniqueApi();
    seedPending(api, { ...VALID, locale: 'en', website: '' }, 'earlier-visit-newsletter-sends');
    const signedEvents = record<CompaSignDetail>(document, 'compa-sign');
    const subscribed = record<unknown>(document, 'compa-subscribe');
    // The newsletter connects first: its queue sends the petition's saved write.
    const root = await fixture<HTMLDivElement>(html`<div>
      <compa-newsletter api=${api}></compa-newsletter>
      <compa-petition api=${api} campaign=${DEMO_SLUG}></compa-petition>
    </div>`);
    const el = root.querySelector('compa-petition')!;
    await reach(el, 'signed');
    expect(keyOf(posts()[0])).to.equal('earlier-visit-newsletter-sends');
    expect(signedEvents.map((e) => e.detail)).to.deep.equal([{ campaign: DEMO_SLUG, status: 'counted', locale: 'en' }]);
    expect(subscribed, 'the newsletter announces no signup').to.have.length(0);
    expect((root.querySelector('compa-newsletter') as HTMLElement & { state: string }).state).to.not.equal('check-inbox');
  });
});

describe('<compa-petition>: "Try again now" says what it does', () => {
  it('says "Signing…" while it tries, and says again that the signature is saved when it fails once more', async () => {
    mock.worker.use(...petitionHandlers({ sign: { kind: 'network-error' }, signLatency: 200 }));
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'offline');
    const saved = status(el);
    const heard: string[] = [];
    new MutationObserver(() => heard.push(status(el))).observe(get(el, '[role="status"]'), { childList: true, subtree: true, characterData: true });
    const retry = button(el, 'Try again now');
    retry.click();
    await until(() => norm(retry.textContent) === 'Signing…', () => 'the button saying so');
    expect(retry.getAttribute('aria-disabled')).to.equal('true');
    retry.click(); // a second click while it tries sends nothing more
    await until(() => norm(retry.textContent) === 'Try again now', () => 'the button back');
    const trying = heard.indexOf('Signing…');
    expect(trying, `announced while trying (heard: ${heard.join(' / ')})`).to.be.greaterThan(-1);
    expect(heard.slice(trying + 1), 'then that it is saved, again').to.include(saved);
    expect(el.state).to.equal('offline');
    expect(posts()).to.have.length(2);
  });
});
