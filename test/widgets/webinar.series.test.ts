/**
 * `<compa-webinar series="…">`: the upcoming webinars of a series, each with its time and status, and a button
 * that opens its registration in place, with a way back; focus follows.
 */
import { expect } from '@open-wc/testing';
import type { CompaRegisterDetail } from '../../src/widgets/webinar/compa-webinar.ts';
import { http } from 'msw';
import { errorResponse } from '../mocks/handlers.ts';
import { DEMO_WEBINAR_TEXTS, WEBINARS_URL, acceptedRegistrations, webinarScenarios } from '../mocks/webinar-handlers.ts';
import { $, $$, button, focused, get, gets, isShown, norm, posts, reach, record, text, until, useWidgetPage } from './common.helpers.ts';
import { DEMO_SERIES, fill, fillAndSubmit, mount, openFromList, uniqueApi, VALID } from './webinar.helpers.ts';

const mock = useWidgetPage();
const TITLES = DEMO_WEBINAR_TEXTS.en.series;
const SLUGS = ['talk-first-year', 'talk-lawyers', 'talk-digital-security', 'talk-peace-deal'];

describe('<compa-webinar series>: the list', () => {
  it('lists the series’ upcoming webinars: title (one level below), time, status, places left, and a button for the open ones', async () => {
    mock.worker.use(...webinarScenarios.series());
    const ready = record(document, 'compa-ready');
    const api = uniqueApi();
    const el = await mount({ api, series: DEMO_SERIES, timeZone: 'Europe/Madrid' }, 'list');
    expect(gets('/webinars')[0].url).to.equal(`${api}/api/v1/webinars?series=${DEMO_SERIES}&locale=en`);
    expect(ready.map((e) => e.detail)).to.deep.equal([{ webinars: SLUGS }]);
    expect(text(el, '[part~="heading"]')).to.equal('Upcoming webinars');
    expect($(el, 'form'), 'no form in the list').to.equal(null);
    const items = $$(el, '[part~="item"]');
    expect(items.map((i) => norm(i.querySelector('[part~="item-title"]')!.textContent))).to.deep.equal(TITLES);
    expect(items.map((i) => i.querySelector('[part~="item-title"]')!.getAttribute('aria-level'))).to.deep.equal(['3', '3', '3', '3']);
    expect(items.map((i) => norm(i.querySelector('[part~="item-status"]')!.textContent))).to.deep.equal([
      'Started: registration closed',
      'Registration open',
      'Registration open',
      'Full: waitlist open',
    ]);
    expect(items.map((i) => norm(i.querySelector('[part~="places"]')?.textContent))).to.deep.equal(['', '', 'Only 2 places left', '']);
    expect(items.every((i) => /Central European (Standard|Summer) Time/.test(norm(i.querySelector('[part~="time"]')!.textContent)))).to.equal(true);
    expect(items.map((i) => norm(i.querySelector('button')?.textContent))).to.deep.equal(['', 'Register', 'Register', 'Join the waitlist']);
    // Each button is described by its webinar's title (several "Register" buttons on one page).
    const b = get(el, '#open-talk-lawyers');
    expect(b.getAttribute('aria-describedby')).to.equal('title-talk-lawyers');
  });

  it('opens a webinar in place (focus on its title, a way back), registers for it, and goes back to its button', async () => {
    mock.worker.use(...webinarScenarios.series());
    const registered = record<CompaRegisterDetail>(document, 'compa-register');
    const api = uniqueApi();
    const el = await mount({ api, series: DEMO_SERIES }, 'list');
    await openFromList(el, 'talk-lawyers');
    expect(text(el, '[part~="heading"]')).to.equal(TITLES[1]);
    await until(() => focused(el)?.id === 'heading', () => 'focus on the webinar’s title');
    expect(text(el, '#back')).to.equal('All webinars');
    expect($(el, '[part~="item"]'), 'the list is replaced').to.equal(null);
    expect(gets('/webinars/'), 'no extra request: the list has it all').to.have.length(0);

    await fillAndSubmit(el);
    await reach(el, 'registered');
    expect(posts()[0].url).to.equal(`${api}/api/v1/webinars/talk-lawyers/registrations`);
    expect(registered.map((e) => e.detail)).to.deep.equal([{ webinar: 'talk-lawyers', waitlist: false, locale: 'en' }]);

    button(el, 'All webinars').click();
    await reach(el, 'list');
    await until(() => focused(el)?.id === 'open-talk-lawyers', () => 'focus back on its button');
    expect($$(el, '[part~="item"]')).to.have.length(4);
  });

  it('a full one offers its waitlist', async () => {
    mock.worker.use(...webinarScenarios.series());
    const registered = record<CompaRegisterDetail>(document, 'compa-register');
    const el = await mount({ series: DEMO_SERIES }, 'list');
    await openFromList(el, 'talk-peace-deal', 'full');
    expect(text(el, 'form button[type="submit"]')).to.equal('Join the waitlist');
    await fillAndSubmit(el);
    await reach(el, 'registered');
    expect(acceptedRegistrations.map((r) => [r.slug, r.outcome])).to.deep.equal([['talk-peace-deal', 'waitlist']]);
    expect(registered.map((e) => e.detail.waitlist)).to.deep.equal([true]);
    expect(text(el, '#result')).to.contain('whether you have a place or are on the waitlist');
  });

  it('a full one in approval mode: no waitlist (registrations await the organisers’ decision)', async () => {
    mock.worker.use(...webinarScenarios.series({ series: [{ slug: 'talk-peace-deal', status: 'full', placesLeft: 0, mode: 'approval' }] }));
    const registered = record<CompaRegisterDetail>(document, 'compa-register');
    const el = await mount({ series: DEMO_SERIES }, 'list');
    expect(text(el, '[part~="item-status"]')).to.equal('Registration open');
    expect(text(el, '#open-talk-peace-deal')).to.equal('Register');
    await openFromList(el, 'talk-peace-deal', 'idle');
    expect(text(el, 'form button[type="submit"]')).to.equal('Register');
    await fillAndSubmit(el);
    await reach(el, 'registered');
    expect(acceptedRegistrations.map((r) => [r.slug, r.outcome])).to.deep.equal([['talk-peace-deal', 'approval']]);
    expect(registered.map((e) => e.detail.waitlist)).to.deep.equal([false]);
    expect(text(el, '#result')).to.contain('the organisers review each registration');
  });

  it('another webinar opened after the first: a clean form (answers and consent cleared), name and email kept', async () => {
    mock.worker.use(...webinarScenarios.series());
    const el = await mount({ series: DEMO_SERIES }, 'list');
    await openFromList(el, 'talk-lawyers');
    await fill(el, VALID);
    button(el, 'All webinars').click();
    await reach(el, 'list');
    await openFromList(el, 'talk-digital-security');
    expect(get<HTMLInputElement>(el, '#name').value).to.equal(VALID.name);
    expect(get<HTMLInputElement>(el, '#email').value).to.equal(VALID.email);
    expect(get<HTMLInputElement>(el, '#consent').checked, 'consent is given again for each').to.equal(false);
    expect(text(el, '[part~="places"]')).to.equal('Only 2 places left');
  });

  it('nothing coming up: says so', async () => {
    mock.worker.use(...webinarScenarios.emptySeries());
    const ready = record(document, 'compa-ready');
    const el = await mount({ series: DEMO_SERIES }, 'list');
    expect(text(el, '[part~="message"]')).to.equal('No upcoming webinars for now.');
    expect(ready.map((e) => e.detail)).to.deep.equal([{ webinars: [] }]);
    expect(isShown(get(el, '[part~="heading"]'))).to.equal(true);
  });

  it('an unknown series (the server answers an empty list): nothing coming up; a 404 would say not found', async () => {
    const el = await mount({ series: 'no-such-series' }, 'list');
    expect(text(el, '[part~="message"]')).to.equal('No upcoming webinars for now.');
    mock.worker.use(http.get(WEBINARS_URL, () => errorResponse(404, 'not_found', 'No such series')));
    const missing = await mount({ series: 'no-such-series' }, 'not-found');
    expect(text(missing, '[part~="message"]')).to.equal('This webinar doesn’t exist or is no longer online.');
  });

  it('a webinar of the list that started meanwhile (409): closed, and the list says so on the way back', async () => {
    mock.worker.use(...webinarScenarios.series());
    const el = await mount({ series: DEMO_SERIES }, 'list');
    await openFromList(el, 'talk-lawyers');
    mock.worker.use(...webinarScenarios.closesOnRegister());
    await fillAndSubmit(el);
    await reach(el, 'closed');
    button(el, 'All webinars').click();
    await reach(el, 'list');
    expect(norm(get(el, '#title-talk-lawyers').parentElement!.querySelector('[part~="item-status"]')!.textContent)).to.equal('Started: registration closed');
    expect($(el, '#open-talk-lawyers')).to.equal(null);
    await until(() => focused(el)?.id === 'heading', () => 'focus on the heading, the button being gone');
  });
});
