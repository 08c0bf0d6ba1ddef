/**
 * `<compa-petition>` one-click signing: a supporter remembered on this device ("Sign as Ana G.", "Not you?"),
 * and action links (`?compa_action=TOKEN`: who it signs as, the address bar cleaned, expired links).
 */
import { aTimeout, expect } from '@open-wc/testing';
import { delay, http, HttpResponse } from 'msw';
import { ACTION_PARAM, SUPPORTER_KEY } from '../../src/widgets/petition/compa-petition.ts';
import { DEMO_SLUG, SUPPORTER_URL, TOKEN_NAME, VALID_TOKEN, demoPetition, petitionHandlers, petitionScenarios } from '../mocks/petition-handlers.ts';
import {
  $,
  button,
  focused,
  get,
  gets,
  isShown,
  posts,
  reach,
  record,
  text,
  until,
  useWidgetPage,
  visibleText,
} from './common.helpers.ts';
import { mount, remember, seedPending, status, uniqueApi, visit } from './petition.helpers.ts';

const mock = useWidgetPage();

const ANA = { firstName: 'Ana', lastName: 'García', email: 'ana@example.org', country: 'CO' };

describe('<compa-petition>: a supporter remembered on this device', () => {
  it('shows "Sign as Ana G." instead of the form; one click posts the remembered details', async () => {
    remember(ANA);
    const el = await mount({}, 'one-click');
    expect(isShown(get(el, 'form')), 'no form').to.equal(false);
    const sign = button(el, 'Sign as Ana G.');
    expect(() => button(el, 'Not you?')).not.to.throw();
    sign.click();
    await reach(el, 'signed');
    expect(posts()).to.have.length(1);
    expect(posts()[0].body).to.deep.equal({ ...ANA, locale: 'en' });
    expect(posts()[0].headers['idempotency-key']).to.be.a('string');
    expect(status(el)).to.equal('Thank you! Your signature has been counted.');
  });

  it('while the one click is on its way the button says so and a second click sends nothing', async () => {
    remember(ANA);
    mock.worker.use(...petitionScenarios.signSlow({ signLatency: 300 }));
    const el = await mount({}, 'one-click');
    const sign = button(el, 'Sign as Ana G.');
    sign.click();
    await reach(el, 'submitting');
    expect(text(el, '.actions button[part~="button"]')).to.equal('Signing…');
    sign.click();
    await reach(el, 'signed');
    expect(posts()).to.have.length(1);
  });

  it('"Not you?" forgets the supporter on this device and shows the empty form, focused', async () => {
    remember(ANA);
    const el = await mount({}, 'one-click');
    button(el, 'Not you?').click();
    await reach(el, 'idle');
    expect(localStorage.getItem(SUPPORTER_KEY)).to.equal(null);
    expect(isShown(get(el, 'form'))).to.equal(true);
    expect(get<HTMLInputElement>(el, '#firstName').value).to.equal('');
    await until(() => focused(el)?.id === 'firstName', () => 'focus on the first name');
    const later = await mount();
    expect(later.state, 'forgotten for later petitions too').to.equal('idle');
  });

  it('a first name alone shows without initial; a petition that requires a last name then asks for the form', async () => {
    remember({ firstName: 'Ana', email: 'ana@example.org', country: 'CO' });
    const el = await mount({}, 'one-click');
    expect(() => button(el, 'Sign as Ana')).not.to.throw();
    const strict = await mount({ data: demoPetition('en', { petition: { lastName: 'required' } }) }, 'idle');
    expect($(strict, '.actions')).to.equal(null);
  });

  it('a petition that asks no last name gets none from the remembered details', async () => {
    remember(ANA);
    mock.worker.use(...petitionScenarios.open({ petition: { lastName: 'hidden' } }));
    const el = await mount({}, 'one-click');
    button(el, 'Sign as Ana G.').click();
    await reach(el, 'signed');
    expect(posts()[0].body).to.deep.equal({ firstName: 'Ana', email: 'ana@example.org', country: 'CO', locale: 'en' });
  });

  it('remembered details the server refuses: back to the form, filled in, with the error', async () => {
    remember({ ...ANA, email: 'ana@bounce.example' });
    mock.worker.use(...petitionScenarios.validationError({ fields: { email: 'Mailbox does not exist' } }));
    const el = await mount({}, 'one-click');
    button(el, 'Sign as Ana G.').click();
    await until(() => $(el, '#email-error'), () => 'the email error');
    expect(el.state).to.equal('idle');
    expect(isShown(get(el, 'form'))).to.equal(true);
    await until(() => get<HTMLInputElement>(el, '#email').value === 'ana@bounce.example', () => 'the remembered email in the form');
    expect(get<HTMLInputElement>(el, '#firstName').value).to.equal('Ana');
  });

  it('only the four remembered fields are sent, whatever else the stored entry holds', async () => {
    localStorage.setItem(SUPPORTER_KEY, JSON.stringify({ ...ANA, phone: '+57 300', comment: 'old' }));
    const el = await mount({}, 'one-click');
    button(el, 'Sign as Ana G.').click();
    await reach(el, 'signed');
    expect(posts()[0].body).to.deep.equal({ ...ANA, locale: 'en' });
  });

  it('unreadable stored data is ignored: the form is shown', async () => {
    localStorage.setItem(SUPPORTER_KEY, '{not json');
    const el = await mount();
    expect(el.state).to.equal('idle');
    localStorage.setItem(SUPPORTER_KEY, JSON.stringify({ firstName: 42, email: 'a@b.org', country: 'CO' }));
    expect((await mount()).state, 'wrong types').to.equal('idle');
  });
});

describe('<compa-petition>: action links', () => {
  it('`?compa_action=TOKEN`: asks who it signs as, cleans the address bar, and one click posts the token', async () => {
    visit(`?utm_source=newsletter&${ACTION_PARAM}=${VALID_TOKEN}#sign`);
    const el = await mount({}, 'one-click');
    const [lookup] = gets('/supporter');
    expect(new URL(lookup.url).searchParams.get('t')).to.equal(VALID_TOKEN);
    expect(new URL(lookup.url).pathname).to.equal(`/api/v1/petitions/${DEMO_SLUG}/supporter`);
    expect(location.search, 'the token is gone from the address bar').to.equal('?utm_source=newsletter');
    expect(location.hash, 'the rest of the address is kept').to.equal('#sign');
    button(el, `Sign as ${TOKEN_NAME}`).click();
    await reach(el, 'signed');
    expect(posts()[0].body).to.deep.equal({ actionToken: VALID_TOKEN, locale: 'en' });
  });

  it('a link whose supporter the server keeps sealed (no name): the button says "Sign with one click" and posts the token', async () => {
    visit(`?${ACTION_PARAM}=${VALID_TOKEN}`);
    mock.worker.use(http.get(SUPPORTER_URL, () => HttpResponse.json({ displayName: null })));
    const el = await mount({}, 'one-click');
    expect(visibleText(el)).not.to.contain('Sign as');
    button(el, 'Sign with one click').click();
    await reach(el, 'signed');
    expect(posts()[0].body).to.deep.equal({ actionToken: VALID_TOKEN, locale: 'en' });
  });

  it('an expired or forged link: the form, with a short note; the address bar is cleaned too', async () => {
    visit(`?${ACTION_PARAM}=tok_expired`);
    const errors = record(document, 'compa-error');
    const el = await mount();
    expect(location.search).to.equal('');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'invalid_token', status: 400 }]);
    expect(visibleText(get(el, 'form'))).to.match(/^This link has expired\. Please sign with the form\./);
    expect(posts()).to.have.length(0);
  });

  it('a link that expires between the lookup and the click: back to the form with the note', async () => {
    visit(`?${ACTION_PARAM}=${VALID_TOKEN}`);
    const el = await mount({}, 'one-click');
    mock.worker.use(
      ...petitionHandlers({
        sign: { kind: 'error', status: 400, code: 'invalid_token', message: 'Expired', fields: { actionToken: 'Invalid or expired' } },
      }),
    );
    const errors = record(document, 'compa-error');
    button(el, `Sign as ${TOKEN_NAME}`).click();
    await reach(el, 'idle');
    expect(isShown(get(el, 'form'))).to.equal(true);
    expect(visibleText(get(el, 'form'))).to.match(/^This link has expired/);
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'invalid_token', status: 400 }]);
    await until(() => focused(el)?.id === 'firstName', () => 'focus on the first name');
  });

  it('the token is taken once: a second widget on the page shows the form', async () => {
    visit(`?${ACTION_PARAM}=${VALID_TOKEN}`);
    await mount({}, 'one-click');
    const second = await mount();
    expect(second.state).to.equal('idle');
  });

  it('`compa_campaign` names the petition the link is for: another petition on the page leaves it alone', async () => {
    visit(`?${ACTION_PARAM}=${VALID_TOKEN}&compa_campaign=${DEMO_SLUG}`);
    await mount({ campaign: 'another-petition' }, 'not-found'); // (the mock knows one petition only)
    expect(location.search, 'left in place for its petition').to.include(ACTION_PARAM);
    await mount({}, 'one-click');
    expect(location.search, 'taken, and both parameters removed').to.equal('');
  });

  it('a closed petition: no one-click, but the token is still removed from the address bar', async () => {
    visit(`?${ACTION_PARAM}=${VALID_TOKEN}`);
    mock.worker.use(...petitionScenarios.closed());
    await mount({}, 'closed');
    expect(location.search).to.equal('');
    expect(gets('/supporter'), 'no lookup for a closed petition').to.have.length(0);
  });

  it('an action link wins over the supporter remembered on the device', async () => {
    remember(ANA);
    visit(`?${ACTION_PARAM}=${VALID_TOKEN}`);
    const el = await mount({}, 'one-click');
    expect(() => button(el, `Sign as ${TOKEN_NAME}`)).not.to.throw();
    button(el, 'Not you?').click();
    await reach(el, 'idle');
    expect(localStorage.getItem(SUPPORTER_KEY), '"Not you?" on a link leaves the device’s memory alone').to.not.equal(null);
  });
});

describe('<compa-petition>: one-click and a saved signature at once', () => {
  it('a signature saved on an earlier visit is thanked even if the action link’s lookup answers after it', async () => {
    const api = uniqueApi();
    seedPending(api, { ...ANA, locale: 'en', website: '' }, 'earlier-visit-slow-lookup');
    visit(`?${ACTION_PARAM}=${VALID_TOKEN}`);
    mock.worker.use(
      http.get(SUPPORTER_URL, async () => {
        await delay(400);
        return HttpResponse.json({ displayName: TOKEN_NAME });
      }),
    );
    const el = await mount({ api }, null);
    await reach(el, 'signed');
    await aTimeout(600); // the lookup has answered meanwhile
    expect(el.state).to.equal('signed');
  });
});
