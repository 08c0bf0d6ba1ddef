/**
 * `<compa-webinar>` in a real Chromium, against the mocked API (`test/mocks/webinar-handlers.ts`, checked with the
 * shared zod schemas): what a supporter sees and does, and what the page and the server receive.
 * Times and time zones: webinar.time.test.ts; series: webinar.series.test.ts; languages, accessibility and layout:
 * webinar.a11y.test.ts.
 */
import { aTimeout, expect } from '@open-wc/testing';
import type { CompaRegisterDetail } from '../../src/widgets/webinar/compa-webinar.ts';
import { CompaWebinar } from '../../src/widgets/webinar/compa-webinar.ts';
import { EMAIL_MAX, FIRST_NAME_MAX, LAST_NAME_MAX } from '../../src/schemas/limits.ts';
import { DEMO_ORGANISATION, DEMO_PRIVACY_POLICY_URL } from '../mocks/handlers.ts';
import {
  DEMO_PHOTO_PATH,
  DEMO_RECORDING_URL,
  DEMO_WEBINAR_TEXTS,
  acceptedRegistrations,
  webinarHandlers,
  webinarScenarios,
} from '../mocks/webinar-handlers.ts';
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
  storedPending,
  submit,
  text,
  until,
  useWidgetPage,
  visibleText,
  whileDeviceOffline,
} from './common.helpers.ts';
import {
  ANSWERS,
  DEMO_WEBINAR,
  VALID,
  fill,
  fillAndSubmit,
  invalidIds,
  mount,
  seedPending,
  status,
  uniqueApi,
  webinarData,
} from './webinar.helpers.ts';

const mock = useWidgetPage();

const EN = DEMO_WEBINAR_TEXTS.en;

describe('<compa-webinar>: loading the webinar', () => {
  it('shows "Loading…", then the webinar: title, description, speakers, language, time, and the form', async () => {
    mock.worker.use(...webinarHandlers({ latency: 300 }));
    const ready = record(document, 'compa-ready');
    const api = uniqueApi();
    const el = await mount({ api }, null);
    expect(el.state).to.equal('loading');
    expect(text(el, '[part~="message"]')).to.equal('Loading…');
    expect($(el, 'form'), 'no form before the webinar arrives').to.equal(null);

    await reach(el, 'idle');
    expect(gets('/webinars/')[0].url).to.equal(`${api}/api/v1/webinars/${DEMO_WEBINAR}?locale=en`);
    expect(ready.map((e) => e.detail)).to.deep.equal([{ webinars: [DEMO_WEBINAR] }]);
    const h = get(el, '[part~="heading"]');
    expect([h.getAttribute('role'), h.getAttribute('aria-level'), norm(h.textContent)]).to.deep.equal(['heading', '2', EN.title]);
    expect(h.getAttribute('lang'), 'the webinar’s texts carry their own language').to.equal('en');
    expect(get(el, '[part~="description"]').textContent).to.equal(EN.description);
    expect(text(el, '[part~="language"]')).to.equal('Language: Spanish Interpretation into English and French');
    const speakers = $$(el, '[part~="speaker"]');
    expect(speakers.map((s) => [...s.querySelectorAll('strong, strong + br + span')].map((n) => n.textContent))).to.deep.equal([
      ['Ana Lucía Gómez', EN.organisation],
      ['Jonas Weber'],
    ]);
    expect(get(el, '[part~="speakers"]').getAttribute('aria-label')).to.equal('Speakers');
    const photos = $$<HTMLImageElement>(el, '[part~="photo"]');
    expect(photos.map((p) => p.src), 'one photo, from the Compa server').to.deep.equal([api + DEMO_PHOTO_PATH]);
    expect(photos[0].alt, 'decorative: the name is beside it').to.equal('');
    expect(get(el, '[part~="time"] time').getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
    expect($(el, '[part~="places"]'), 'no places count unless few are left').to.equal(null);
    expect(isShown(get(el, 'form'))).to.equal(true);
    expect(text(el, 'form button[type="submit"]')).to.equal('Register');
  });

  it('`heading-level` sets the title’s level', async () => {
    const el = await mount({ headingLevel: 3 });
    expect(get(el, '[part~="heading"]').getAttribute('aria-level')).to.equal('3');
  });

  it('with `data` set before connecting, the webinar is not fetched', async () => {
    const el = await mount({ data: webinarData({ title: 'Given as data' }) });
    expect(text(el, '[part~="heading"]')).to.equal('Given as data');
    expect(gets('/webinars')).to.have.length(0);
  });

  it('a webinar that fails to load: an error and "Try again", which loads it', async () => {
    mock.worker.use(...webinarScenarios.loadFailure());
    const errors = record(document, 'compa-error');
    const el = await mount({}, 'load-error');
    expect(text(el, '[role="alert"]')).to.equal('The webinar couldn’t load. Check your connection and try again.');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'internal', status: 500 }]);
    expect($(el, 'form')).to.equal(null);

    mock.worker.resetHandlers(); // the server is back
    button(el, 'Try again').click();
    await reach(el, 'idle');
    await until(() => focused(el)?.id === 'heading', () => 'focus back on the heading');
    expect(text(el, '[part~="heading"]')).to.equal(EN.title);
  });

  it('an unknown (or draft) webinar: not-found, no form, a `not_found` compa-error; no slug at all: not-found', async () => {
    const errors = record(document, 'compa-error');
    const el = await mount({ webinar: 'no-such-webinar' }, 'not-found');
    expect(text(el, '[part~="message"]')).to.equal('This webinar doesn’t exist or is no longer online.');
    expect($(el, 'form')).to.equal(null);
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'not_found', status: 404 }]);
    const none = await mount({ webinar: null }, 'not-found');
    expect($(none, 'form')).to.equal(null);
  });

  it('removed while loading: the request is aborted and nothing happens afterwards', async () => {
    mock.worker.use(...webinarHandlers({ latency: 200 }));
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
    expect(() => CompaWebinar.define('compa-webinar')).not.to.throw();
    expect(customElements.get('compa-webinar')).to.equal(CompaWebinar);
  });

  it('a photo that is not http(s) is left out', async () => {
    const el = await mount({
      data: webinarData({ speakers: [{ name: 'Eve', organisation: null, photoUrl: 'javascript:alert(1)' }] }),
    });
    expect($(el, '[part~="photo"]')).to.equal(null);
    expect(text(el, '[part~="speaker"]')).to.equal('Eve');
  });
});

describe('<compa-webinar>: places left', () => {
  it('shown only when the server gives `placesLeft`, in words and numbers, singular and plural', async () => {
    mock.worker.use(...webinarScenarios.nearlyFull({ placesLeft: 3 }));
    const three = await mount();
    expect(text(three, '[part~="places"]')).to.equal('Only 3 places left');
    const one = await mount({ data: webinarData({ placesLeft: 1 }) });
    expect(text(one, '[part~="places"]')).to.equal('Only one place left');
    const many = await mount({ data: webinarData({ placesLeft: null }) });
    expect($(many, '[part~="places"]')).to.equal(null);
    const full = await mount({ data: webinarData({ status: 'full', placesLeft: 0 }) }, 'full');
    expect($(full, '[part~="places"]'), 'full: the waitlist says it').to.equal(null);
  });
});

describe('<compa-webinar>: the form', () => {
  it('asks for name and email (autocomplete tokens, server limits), then the webinar’s questions, then consent', async () => {
    mock.worker.use(...webinarScenarios.questions());
    const el = await mount();
    const label = (id: string) => norm(get(el, `label[for="${id}"]`).textContent);
    expect(['name', 'email', 'q-organisation', 'q-captions', 'q-recorded', 'q-question'].map(label)).to.deep.equal([
      'Name',
      'Email address',
      EN.questions.organisation,
      EN.questions.captions,
      `${EN.questions.recorded} (required)`,
      `${EN.questions.question} (optional)`,
    ]);
    const input = (id: string) => get<HTMLInputElement>(el, `#${id}`);
    expect([input('name').autocomplete, input('email').autocomplete, input('email').type]).to.deep.equal(['name', 'email', 'email']);
    expect([input('name').maxLength, input('email').maxLength]).to.deep.equal([FIRST_NAME_MAX + LAST_NAME_MAX, EMAIL_MAX]);
    // Text: an input, or a text area for long answers, each with the question's maximum length.
    expect([input('q-organisation').localName, input('q-organisation').maxLength]).to.deep.equal(['input', 120]);
    expect([input('q-question').localName, input('q-question').maxLength]).to.deep.equal(['textarea', 1000]);
    // Choice: radio buttons in a fieldset with a legend.
    const group = get<HTMLFieldSetElement>(el, 'fieldset[part~="choices"]');
    expect(norm(group.querySelector('legend')!.textContent)).to.equal(EN.questions.role);
    expect(group.getAttribute('role')).to.equal('radiogroup');
    expect(group.getAttribute('aria-required')).to.equal('true');
    const radios = [...group.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    expect(radios.map((r) => [r.value, norm(r.labels![0].textContent)])).to.deep.equal(Object.entries(EN.options));
    // Checkboxes: none pre-ticked.
    expect($$<HTMLInputElement>(el, 'input[type="checkbox"]').map((c) => [c.id, c.checked])).to.deep.equal([
      ['q-captions', false],
      ['q-recorded', false],
      ['consent', false],
    ]);
    const required = (id: string) => get(el, `#${id}`).getAttribute('aria-required');
    expect(['name', 'email', 'q-organisation', 'q-recorded', 'consent'].map(required)).to.deep.equal(['true', 'true', 'true', 'true', 'true']);
    expect(['q-captions', 'q-question'].map(required), 'optional').to.deep.equal([null, null]);
    // The consent text names the organisation and links the privacy policy (new tab, no opener).
    expect(norm(get(el, '#consent-label').textContent)).to.equal(
      `I agree that ${DEMO_ORGANISATION} uses my details to organise this webinar, and accept its privacy policy (opens in a new tab).`,
    );
    const link = get<HTMLAnchorElement>(el, '#consent-label a');
    expect([link.href, link.target, link.rel]).to.deep.equal([DEMO_PRIVACY_POLICY_URL, '_blank', 'noopener noreferrer']);
  });

  it('checks every field before sending: name, email, required questions (text, choice, box) and consent', async () => {
    mock.worker.use(...webinarScenarios.questions());
    const el = await mount();
    await submit(el);
    expect(posts(), 'nothing sent').to.have.length(0);
    expect(invalidIds(el)).to.deep.equal(['name', 'email', 'q-organisation', 'q-role', 'q-recorded', 'consent']);
    const error = (id: string) => text(el, `#${get(el, `#${id}`).getAttribute('aria-describedby')}`);
    expect(['name', 'email', 'q-organisation', 'q-role', 'q-recorded', 'consent'].map(error)).to.deep.equal([
      'Enter your name.',
      'Enter your email address.',
      'Answer this question.',
      'Choose an answer.',
      'Tick this box to continue.',
      'To register, tick this box to agree.',
    ]);
    expect(get(el, '#q-question').getAttribute('aria-invalid'), 'optional: no error').to.equal('false');
    expect(focused(el)?.id, 'focus on the first error').to.equal('name');

    // Fixing all but the choice: focus goes to its first radio button.
    await fill(el, { ...VALID, email: 'ana@', answers: { organisation: 'PBI', recorded: true } });
    await submit(el);
    expect(invalidIds(el)).to.deep.equal(['email', 'q-role']);
    expect(text(el, '#email-error')).to.equal('Enter a valid email address, like name@example.org.');
    get<HTMLInputElement>(el, '#email').value = 'ana@example.org';
    await submit(el);
    expect(invalidIds(el)).to.deep.equal(['q-role']);
    expect(focused(el)?.id).to.equal('q-role-listen');
    expect(posts()).to.have.length(0);
  });

  it('sends the answers with the right types: text and choice as strings, boxes as booleans; empty optional text left out', async () => {
    mock.worker.use(...webinarScenarios.questions());
    const api = uniqueApi();
    const el = await mount({ api });
    await fillAndSubmit(el, { ...VALID, answers: ANSWERS });
    await reach(el, 'registered');
    const [post] = posts();
    expect(post.url).to.equal(`${api}/api/v1/webinars/${DEMO_WEBINAR}/registrations`);
    expect(post.status, 'the mock (the contract) accepted it').to.equal(202);
    expect(keyOf(post)).to.be.a('string').and.not.equal('');
    expect(post.body).to.deep.equal({
      name: 'Ana García',
      email: 'ana@example.org',
      answers: { organisation: 'Peace Brigades', role: 'ask', captions: false, recorded: true },
      locale: 'en',
      consent: true,
      consentText: `I agree that ${DEMO_ORGANISATION} uses my details to organise this webinar, and accept its privacy policy.`,
      website: '',
    });
    expect(acceptedRegistrations.map((r) => [r.slug, r.outcome])).to.deep.equal([[DEMO_WEBINAR, 'place']]);
  });

  it('a relative privacy-policy address is the Compa server’s (like the photos’), not the page’s', async () => {
    const api = uniqueApi();
    const el = await mount({ api, data: webinarData({ privacyPolicyUrl: '/privacy' }) });
    expect(get<HTMLAnchorElement>(el, '#consent-label a').href).to.equal(`${api}/privacy`);
  });

  it('no privacy policy: the consent text has no link, and that is what is sent', async () => {
    const el = await mount({ data: webinarData({ privacyPolicyUrl: null }) });
    expect($(el, '#consent-label a')).to.equal(null);
    await fillAndSubmit(el);
    await reach(el, 'registered');
    expect((posts()[0].body as { consentText: string }).consentText).to.equal(`I agree that ${DEMO_ORGANISATION} uses my details to organise this webinar.`);
  });
});

describe('<compa-webinar>: after registering', () => {
  it('open: "check your email", focus on it (said once: the live region stays quiet); compa-register without personal data', async () => {
    const registered = record<CompaRegisterDetail>(document, 'compa-register');
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'registered');
    expect(text(el, '#result')).to.equal(
      'Check your email: we’ve sent you the details of your registration. Not there in a few minutes? Check your spam folder.',
    );
    await until(() => focused(el)?.id === 'result', () => 'focus on the result');
    expect(status(el), 'read where the focus is, not announced twice').to.equal('');
    expect(isShown(get(el, 'form')), 'the form is gone').to.equal(false);
    expect(registered.map((e) => e.detail)).to.deep.equal([{ webinar: DEMO_WEBINAR, waitlist: false, locale: 'en' }]);
    expect(visibleText(base(el)), 'never a join link').not.to.match(/join\.|https?:\/\/\S*(zoom|jitsi|meet)/i);
  });

  it('approval mode: the organisers will confirm by email', async () => {
    mock.worker.use(...webinarScenarios.approval());
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'registered');
    expect(text(el, '#result')).to.equal(
      'Check your email: the organisers review each registration and will confirm by email whether you have a place.',
    );
    expect(acceptedRegistrations.map((r) => r.outcome)).to.deep.equal(['approval']);
  });

  it('approval mode, full: no waitlist is offered (every registration awaits the organisers’ decision)', async () => {
    mock.worker.use(...webinarScenarios.full({ webinar: { mode: 'approval' } }));
    const registered = record<CompaRegisterDetail>(document, 'compa-register');
    const el = await mount({}, 'idle');
    expect($(el, 'form [part~="message"]'), 'no waitlist explanation').to.equal(null);
    expect(visibleText(base(el))).not.to.contain('waitlist');
    expect(text(el, 'form button[type="submit"]')).to.equal('Register');
    await fillAndSubmit(el);
    await reach(el, 'registered');
    expect(acceptedRegistrations.map((r) => r.outcome)).to.deep.equal(['approval']);
    expect(text(el, '#result')).to.equal(
      'Check your email: the organisers review each registration and will confirm by email whether you have a place.',
    );
    expect(registered.map((e) => e.detail)).to.deep.equal([{ webinar: DEMO_WEBINAR, waitlist: false, locale: 'en' }]);
  });

  it('full: the waitlist is offered (explanation, "Join the waitlist"), the registration is sent, and the answer stays neutral', async () => {
    mock.worker.use(...webinarScenarios.full({ questions: true }));
    const registered = record<CompaRegisterDetail>(document, 'compa-register');
    const el = await mount({}, 'full');
    expect(text(el, 'form [part~="message"]')).to.equal('This webinar is full. You can join the waitlist: we’ll email you if a place frees up.');
    expect(text(el, 'form button[type="submit"]')).to.equal('Join the waitlist');
    await fillAndSubmit(el, { ...VALID, answers: ANSWERS });
    await reach(el, 'registered');
    expect(posts()[0].status).to.equal(202);
    expect((posts()[0].body as { answers: unknown }).answers).to.deep.equal({ organisation: 'Peace Brigades', role: 'ask', captions: false, recorded: true });
    expect(acceptedRegistrations.map((r) => r.outcome)).to.deep.equal(['waitlist']);
    expect(text(el, '#result')).to.equal(
      'Check your email: it says whether you have a place or are on the waitlist. If you are on the waitlist, we’ll write to you only if a place frees up.',
    );
    expect(registered.map((e) => e.detail)).to.deep.equal([{ webinar: DEMO_WEBINAR, waitlist: true, locale: 'en' }]);
  });
});

describe('<compa-webinar>: the server refuses or fails', () => {
  it('400 with fields: each mapped to its own field with our own message (never the server’s English)', async () => {
    mock.worker.use(
      ...webinarScenarios.validationError({
        questions: true,
        fields: { 'answers.organisation': 'Too long for the server', email: 'Server says: bad address', consent: 'Consent must be given' },
      }),
    );
    const errors = record(document, 'compa-error');
    const el = await mount();
    await fillAndSubmit(el, { ...VALID, answers: ANSWERS });
    await reach(el, 'idle');
    expect(invalidIds(el)).to.deep.equal(['email', 'q-organisation', 'consent']);
    expect(text(el, '#q-organisation-error')).to.equal('Please check this field.');
    expect(text(el, '#email-error')).to.equal('Enter a valid email address, like name@example.org.');
    expect(text(el, '#consent-error')).to.equal('To register, tick this box to agree.');
    expect(visibleText(base(el))).not.to.match(/Server says|Too long for the server|Consent must be given/);
    expect(focused(el)?.id).to.equal('email');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'invalid_body', status: 400 }]);
  });

  it('400 about something that is no field of the form: the error state, with a generic message', async () => {
    mock.worker.use(...webinarScenarios.validationError({ fields: { locale: 'Must be a language tag' } }));
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'error');
    expect(text(el, '[role="alert"]')).to.equal('Sorry, your registration was not sent. Please try again.');
  });

  it('409 registration_closed (it started meanwhile): closed, no form, focus on the message', async () => {
    mock.worker.use(...webinarScenarios.closesOnRegister());
    const errors = record(document, 'compa-error');
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'closed');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'registration_closed', status: 409 }]);
    expect($(el, 'form')).to.equal(null);
    expect(text(el, '#closed')).to.equal('Registration is closed: this webinar has started. Registered? The link to join is in your email.');
    await until(() => focused(el)?.id === 'closed', () => 'focus on the message');
  });

  it('429: rate-limited, saying when to try again; the form keeps what was typed', async () => {
    mock.worker.use(...webinarScenarios.rateLimited({ retryAfter: 120 }));
    const errors = record(document, 'compa-error');
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'rate-limited');
    expect(text(el, '[role="alert"]')).to.equal('Too many attempts. Please try again in 2 minutes.');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'rate_limited', status: 429 }]);
    expect(get<HTMLInputElement>(el, '#email').value).to.equal('ana@example.org');
  });

  it('500: error state; retrying the same registration reuses its idempotency key and succeeds', async () => {
    mock.worker.use(...webinarScenarios.serverError());
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'error');
    expect(text(el, '[role="alert"]')).to.equal('Sorry, your registration was not sent. Please try again.');
    expect(storedPending(), 'an answer: nothing stays queued').to.have.length(0);
    mock.worker.resetHandlers();
    await submit(el);
    await reach(el, 'registered');
    const [a, b] = posts();
    expect(keyOf(b)).to.equal(keyOf(a));
  });
});

describe('<compa-webinar>: started and ended', () => {
  it('started: registration closed, no form, no recording', async () => {
    mock.worker.use(...webinarScenarios.started());
    const el = await mount({}, 'closed');
    expect(text(el, '#closed')).to.equal('Registration is closed: this webinar has started. Registered? The link to join is in your email.');
    expect($(el, 'form')).to.equal(null);
    expect($(el, '[part~="recording"]')).to.equal(null);
  });

  it('ended: the recording link (http/https), opening in a new tab', async () => {
    mock.worker.use(...webinarScenarios.ended());
    const el = await mount({}, 'ended');
    expect(text(el, '[part~="message"]')).to.equal('This webinar has ended.');
    const a = get<HTMLAnchorElement>(el, 'a[part~="recording"]');
    expect([a.href, a.target, a.rel, norm(a.textContent)]).to.deep.equal([
      DEMO_RECORDING_URL,
      '_blank',
      'noopener noreferrer',
      'Watch the recording (opens in a new tab)',
    ]);
    expect($(el, 'form')).to.equal(null);
  });

  it('ended without a recording, or with one that is not http(s): no link', async () => {
    mock.worker.use(...webinarScenarios.ended({ recording: null }));
    const none = await mount({}, 'ended');
    expect($(none, '[part~="recording"]')).to.equal(null);
    for (const url of ['javascript:alert(1)', 'data:text/html,hi', 'ftp://video.example/r']) {
      const bad = await mount({ data: webinarData({ status: 'ended', recordingUrl: url }) }, 'ended');
      expect($(bad, '[part~="recording"]')?.getAttribute('href') ?? null, url).to.equal(null);
    }
  });

  it('the recording link appears only after the end, even when the server sends one earlier', async () => {
    for (const s of ['upcoming', 'full', 'started'] as const) {
      const el = await mount({ data: webinarData({ status: s, recordingUrl: DEMO_RECORDING_URL }) }, null);
      await until(() => el.state !== 'loading', () => 'loaded');
      expect($(el, '[part~="recording"]')?.getAttribute('href') ?? null, s).to.equal(null);
      expect(visibleText(base(el))).not.to.contain('Watch the recording');
    }
  });
});

describe('<compa-webinar>: nothing lost to a flaky network', () => {
  it('server unreachable: offline, compa-queued, kept on the device; sent with the same key on `online`', async () => {
    mock.worker.use(...webinarScenarios.offline({ questions: true }));
    const queued = record(document, 'compa-queued');
    const registered = record<CompaRegisterDetail>(document, 'compa-register');
    const el = await mount();
    await fillAndSubmit(el, { ...VALID, answers: ANSWERS });
    await reach(el, 'offline');
    expect(queued.map((e) => e.detail)).to.deep.equal([{ action: 'register' }]);
    expect(text(el, '#result')).to.equal('We couldn’t send your registration yet. It’s saved on this device and will be sent as soon as possible.');
    await until(() => focused(el)?.id === 'result', () => 'focus on the result');
    expect(status(el), 'read where the focus is, not announced twice').to.equal('');
    const [saved] = storedPending();
    expect(saved.path).to.equal(`/webinars/${DEMO_WEBINAR}/registrations`);
    expect(saved.idempotencyKey).to.equal(keyOf(posts()[0]));
    expect(saved.body).to.deep.equal(posts()[0].body);

    mock.worker.resetHandlers(); // back online
    mock.worker.use(...webinarScenarios.questions());
    window.dispatchEvent(new Event('online'));
    await reach(el, 'registered', 6000);
    expect(keyOf(posts()[1])).to.equal(saved.idempotencyKey);
    expect(posts()[1].status).to.equal(202);
    expect(storedPending()).to.have.length(0);
    expect(registered.map((e) => e.detail)).to.deep.equal([{ webinar: DEMO_WEBINAR, waitlist: false, locale: 'en' }]);
  });

  it('"Try again now" that gets nothing through: said again through the live region (the focus is on the button)', async () => {
    mock.worker.use(...webinarScenarios.offline());
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'offline');
    await until(() => focused(el)?.id === 'result', () => 'focus on the result');
    expect(status(el)).to.equal('');
    button(el, 'Try again now').click();
    await until(() => posts().length === 2, () => 'the second attempt');
    await until(
      () => status(el) === 'We couldn’t send your registration yet. It’s saved on this device and will be sent as soon as possible.',
      () => `the saved-registration text announced (the live region says "${status(el)}")`,
    );
    expect(el.state).to.equal('offline');
  });

  it('"Try again now" sends the saved registration at once with the same key; not offered while the device is offline', async () => {
    mock.worker.use(...webinarScenarios.offline());
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
    await reach(el, 'registered');
    expect(keyOf(posts()[1])).to.equal(keyOf(posts()[0]));
  });

  it('a saved registration refused later because the webinar started in between: closed', async () => {
    mock.worker.use(...webinarScenarios.offline());
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'offline');
    mock.worker.resetHandlers();
    mock.worker.use(...webinarScenarios.closesOnRegister());
    button(el, 'Try again now').click();
    await reach(el, 'closed');
    expect(storedPending()).to.have.length(0);
  });

  it('a registration queued on an earlier visit is sent (same key) when the widget connects, and shown', async () => {
    const api = uniqueApi();
    const body = { ...VALID, answers: {}, locale: 'en', consentText: 'I agree.', website: '' };
    seedPending(api, body, 'earlier-visit-key');
    const registered = record<CompaRegisterDetail>(document, 'compa-register');
    const el = await mount({ api }, null);
    await reach(el, 'registered');
    expect(keyOf(posts()[0])).to.equal('earlier-visit-key');
    expect(posts()[0].body).to.deep.equal(body);
    expect(registered.map((e) => e.detail.webinar)).to.deep.equal([DEMO_WEBINAR]);
    expect(focused(el), 'focus stays where it was').to.equal(null);
    expect(status(el), 'announced: the focus is elsewhere').to.equal(text(el, '#result'));
    expect(storedPending()).to.have.length(0);
    expect(text(el, '[part~="heading"]'), 'the webinar is shown above').to.equal(EN.title);
  });
});
