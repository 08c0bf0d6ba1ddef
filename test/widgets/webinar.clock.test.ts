/**
 * `<compa-webinar>` follows the clock: a page opened before the start closes registration at the start (a
 * registration already answered keeps its outcome on screen), and at the end fetches the webinar again for its
 * recording. One timer, to the next start or end, capped to what `setTimeout` takes (2^31 - 1 ms) and re-armed.
 * A reload after a language change leaves the state in line with the webinar.
 *
 * Real time, kept short: starts and ends 1.5–2 s ahead, each state awaited with a generous timeout (noisy machine).
 */
import { expect } from '@open-wc/testing';
import { DEMO_RECORDING_URL, webinarScenarios } from '../mocks/webinar-handlers.ts';
import { $, focused, get, gets, reach, speaks, stateHistory, stub, text, until, useWidgetPage } from './common.helpers.ts';
import { DEMO_WEBINAR, fillAndSubmit, mount, webinarData, type CompaWebinar } from './webinar.helpers.ts';

const mock = useWidgetPage({ restoreHtmlLang: true });

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** The longest delay `setTimeout` takes (a longer one fires at once). */
const MAX_DELAY = 2 ** 31 - 1;

/** Mounts without waiting for a given state (the clock may move it on), then waits until it has loaded. */
async function loaded(o: Parameters<typeof mount>[0] = {}): Promise<CompaWebinar> {
  const el = await mount(o, null);
  await until(() => !/^lo/.test(el.state), () => `loaded (it is "${el.state}")`, 8000);
  return el;
}

describe('<compa-webinar>: the state follows the clock', () => {
  it('opened before the start: at the start, registration closes by itself (focus in the form moves to the message)', async () => {
    const start = Date.now() + 2000;
    mock.worker.use(...webinarScenarios.timed({ start, end: start + HOUR }));
    const el = await loaded();
    expect(Date.now(), 'loaded before the start').to.be.below(start);
    expect(el.state, 'the form first').to.equal('idle');
    await el.updateComplete;
    get(el, '#name').focus();
    await reach(el, 'closed', 10_000);
    expect(Date.now()).to.be.at.least(start);
    expect($(el, 'form'), 'no form').to.equal(null);
    expect(text(el, '#closed')).to.equal('Registration is closed: this webinar has started. Registered? The link to join is in your email.');
    await until(() => focused(el)?.id === 'closed', () => 'focus on the message');
    expect(gets('/webinars/'), 'the clock, not a request, closed it').to.have.length(1);
  });

  it('at the end: the webinar is fetched again, and shows as ended with its recording (sent only after the end)', async () => {
    const end = Date.now() + 1500;
    mock.worker.use(...webinarScenarios.timed({ start: end - HOUR, end }));
    const el = await loaded();
    expect(el.state).to.equal('closed');
    expect($(el, '[part~="recording"]')).to.equal(null);
    await reach(el, 'ended', 10_000);
    await until(() => $(el, 'a[part~="recording"]'), () => 'the recording link', 8000);
    expect(get<HTMLAnchorElement>(el, 'a[part~="recording"]').href).to.equal(DEMO_RECORDING_URL);
    expect(text(el, '[part~="message"]')).to.equal('This webinar has ended.');
    expect(gets(`/webinars/${DEMO_WEBINAR}`), 'fetched again at the end').to.have.length(2);
  });

  it('a registration answered before the start keeps its outcome on screen after the start', async () => {
    const start = Date.now() + 2000;
    mock.worker.use(...webinarScenarios.timed({ start, end: start + HOUR }));
    const el = await loaded();
    expect(el.state).to.equal('idle');
    const history = stateHistory(el);
    await fillAndSubmit(el);
    await reach(el, 'registered');
    await until(() => Date.now() > start + 500, () => 'the start to pass', 8000);
    await el.updateComplete;
    expect(el.state).to.equal('registered');
    expect(history).not.to.include('closed');
    expect($(el, '#result')).not.to.equal(null);
  });

  it('one timer, capped to what setTimeout takes, re-armed until the instant (a webinar 30 days ahead)', async () => {
    const t0 = Date.now();
    const start = t0 + 30 * DAY;
    const real = window.setTimeout.bind(window);
    const long: [fn: () => void, ms: number][] = [];
    let id = 1e9;
    stub(window, 'setTimeout', ((fn: () => void, ms = 0, ...rest: unknown[]) => {
      if (ms < 60_000) return real(fn, ms, ...rest);
      long.push([fn, ms]);
      return ++id;
    }) as typeof setTimeout);
    const el = await mount({ data: webinarData({ start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() }) });
    await el.updateComplete;
    expect(long.map(([, ms]) => ms), 'one timer, at most 2^31 - 1 ms').to.deep.equal([MAX_DELAY]);

    // 25 days later, the first timer fires: not yet, another one for the rest.
    stub(Date, 'now', () => t0 + 25 * DAY);
    long[0]![0]();
    await el.updateComplete;
    expect(el.state).to.equal('idle');
    expect(long).to.have.length(2);
    expect(long[1]![1]).to.be.within(5 * DAY - 60_000, 5 * DAY);

    // The start: registration closes.
    stub(Date, 'now', () => start + 1000);
    long[1]![0]();
    await reach(el, 'closed');
  });

  it('removed from the page: the timer is cleared', async () => {
    const start = Date.now() + 1500;
    const el = await mount({ data: webinarData({ start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() }) });
    const history = stateHistory(el);
    el.remove();
    await until(() => Date.now() > start + 500, () => 'the start to pass', 8000);
    expect(history, 'nothing happens in a detached element').to.deep.equal([]);
  });
});

describe('<compa-webinar>: a reload after a language change keeps the state in line with the webinar', () => {
  it('filled up meanwhile: the waitlist form; started meanwhile: closed', async () => {
    const el = await mount({ lang: 'en' });
    mock.worker.use(...webinarScenarios.full());
    el.setAttribute('lang', 'fr');
    await speaks(el, 'fr');
    await reach(el, 'full');
    expect(text(el, 'form button[type="submit"]')).to.equal('M’inscrire sur la liste d’attente');
    mock.worker.use(...webinarScenarios.started());
    el.setAttribute('lang', 'es');
    await reach(el, 'closed');
    expect($(el, 'form')).to.equal(null);
  });

  it('registered: stays registered, whatever the webinar became', async () => {
    const el = await mount({ lang: 'en' });
    await fillAndSubmit(el);
    await reach(el, 'registered');
    mock.worker.use(...webinarScenarios.started());
    el.setAttribute('lang', 'es');
    await speaks(el, 'es');
    await until(() => gets('/webinars/').length === 2, () => 'the reload');
    await el.updateComplete;
    expect(el.state).to.equal('registered');
  });
});
