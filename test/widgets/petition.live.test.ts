/**
 * `<compa-petition>` counter and countdown: formatting per locale, threshold, milestones, the progress bar's
 * accessible value; live updates through Server-Sent Events (msw's `sse`, and a local `EventSource` stand-in for
 * failures), the polling fallback, what is (and is not) announced, and the deadline countdown.
 */
import { aTimeout, expect } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import { COUNT_URL, DEMO_SLUG, demoPetition, openStreams, petitionScenarios, pushCount } from '../mocks/petition-handlers.ts';
import { $, get, gets, norm, reach, speaks, stub, text, until, useWidgetPage } from './common.helpers.ts';
import {
  fastTimers,
  fillAndSubmit,
  mount,
  status,
  uniqueApi,
  useFakeEventSource,
  type CompaPetition,
} from './petition.helpers.ts';

const mock = useWidgetPage();

/** The count as rendered (not whitespace-normalised: French groups digits with U+202F). */
const counted = (el: CompaPetition) => get(el, '[part~="count"]').textContent!.trim();
const bar = (el: CompaPetition) => get(el, '[role="progressbar"]');
const withCount = (count: number, more: Parameters<typeof demoPetition>[1] = {}, locale = 'en') =>
  demoPetition(locale, { ...more, petition: { count, ...more.petition } });

describe('<compa-petition> counter', () => {
  // The mock's live stream would send its own count at once; these tests show the petition's.
  beforeEach(() => useFakeEventSource());

  it('shows the count and the goal, with a progress bar that says "1,234 of 5,000 signatures"', async () => {
    const el = await mount();
    expect(counted(el)).to.equal('1,234');
    expect(text(el, '[part~="counter"] > span')).to.equal('1,234 signatures');
    expect(text(el, '[part~="goal"]')).to.equal('Goal: 5,000');
    const b = bar(el);
    expect([b.getAttribute('aria-valuemin'), b.getAttribute('aria-valuemax'), b.getAttribute('aria-valuenow')]).to.deep.equal(['0', '5000', '1234']);
    expect(b.getAttribute('aria-valuetext')).to.equal('1,234 of 5,000 signatures');
    expect(b.getAttribute('aria-labelledby'), 'the bar is named by the goal').to.equal('goal');
    const fill = get(el, '[part~="bar"]');
    expect(fill.getBoundingClientRect().width / b.getBoundingClientRect().width).to.be.closeTo(1234 / 5000, 0.02);
  });

  it('formats numbers for the element’s locale', async () => {
    const cases: [string, string, string][] = [
      ['en', '12,345', '20,000'],
      ['es', '12.345', '20.000'],
      ['fr', '12\u202f345', '20\u202f000'], // French groups digits with a narrow no-break space
    ];
    for (const [lang, count, goal] of cases) {
      const el = await mount({ lang, data: withCount(12345, {}, lang) });
      await speaks(el, lang);
      expect(counted(el), lang).to.equal(count);
      expect(get(el, '[part~="goal"]').textContent, lang).to.contain(goal);
    }
  });

  it('says "signature" for one (and for zero in French), "signatures" otherwise', async () => {
    const one = await mount({ data: withCount(1, { petition: { countThreshold: null } }) });
    expect(text(one, '[part~="counter"] > span')).to.equal('1 signature');
    const zeroFr = await mount({ lang: 'fr', data: withCount(0, { petition: { countThreshold: null } }, 'fr') });
    await speaks(zeroFr, 'fr');
    expect(text(zeroFr, '[part~="counter"] > span')).to.equal('0 signature');
    const zeroEn = await mount({ data: withCount(0, { petition: { countThreshold: null } }) });
    expect(text(zeroEn, '[part~="counter"] > span')).to.equal('0 signatures');
  });

  it('below `countThreshold` the count is hidden: no number, no bar, only the goal as a call to action', async () => {
    // No deadline: its time ("11:57 PM") could hold the digits looked for.
    const el = await mount({ data: withCount(57, { petition: { deadline: null } }) });
    expect($(el, '[part~="count"]')).to.equal(null);
    expect($(el, '[role="progressbar"]')).to.equal(null);
    expect(text(el, '[part~="counter"]')).to.equal('Help us reach 5,000 signatures.');
    expect(el.shadowRoot!.textContent).not.to.contain('57');
    const atThreshold = await mount({ data: withCount(100) });
    expect(counted(atThreshold)).to.equal('100');
  });

  it('past the goal: "Goal reached!" and the next milestone (the goal doubled until ahead)', async () => {
    const cases: [number, string, string][] = [
      [5000, '10,000', '10000'],
      [7500, '10,000', '10000'],
      [12000, '20,000', '20000'],
    ];
    for (const [count, next, max] of cases) {
      const el = await mount({ data: withCount(count) });
      expect(text(el, '[part~="goal"]'), String(count)).to.equal(`Goal reached! Next goal: ${next}`);
      expect(bar(el).getAttribute('aria-valuemax')).to.equal(max);
    }
  });

  it('the counter is not a live region', async () => {
    const el = await mount();
    for (let n: Element | null = get(el, '[part~="counter"]'); n; n = n.parentElement) {
      expect(n.getAttribute('aria-live'), n.localName).to.equal(null);
      expect(n.getAttribute('role'), n.localName).not.to.be.oneOf(['status', 'log', 'alert']);
    }
  });
});

describe('<compa-petition> live updates', () => {
  it('through the event stream (msw `sse`): updates the count without announcing each tick', async () => {
    const el = await mount();
    await until(() => openStreams() > 0, () => 'an open stream');
    expect(gets('/events')[0].url).to.match(new RegExp(`/api/v1/petitions/${DEMO_SLUG}/events$`));
    pushCount({ count: 1300 });
    await until(() => counted(el) === '1,300', () => `1,300 (it is ${counted(el)})`);
    pushCount({ count: 1301 });
    await until(() => counted(el) === '1,301', () => '1,301');
    expect(status(el), 'ticks are not announced').to.equal('');
  });

  it('announces once, politely, when the goal is reached', async () => {
    const ES = useFakeEventSource();
    const el = await mount({ data: withCount(4990) });
    await until(() => ES.instances.length === 1, () => 'a stream');
    ES.instances[0].count({ count: 4999 });
    await el.updateComplete;
    expect(status(el)).to.equal('');
    ES.instances[0].count({ count: 5003 });
    await until(() => status(el) === 'We reached the goal!', () => `the announcement (it is "${status(el)}")`);
    expect(get(el, '[role="status"]').getAttribute('aria-live')).to.equal('polite');
    ES.instances[0].count({ count: 5010 });
    await el.updateComplete;
    expect(counted(el)).to.equal('5,010');
    expect(status(el), 'not announced again').to.equal('We reached the goal!');
  });

  it('opens the stream without credentials, on the petition’s events route of the configured API', async () => {
    const ES = useFakeEventSource();
    const api = uniqueApi();
    await mount({ api });
    await until(() => ES.instances.length === 1, () => 'a stream');
    expect(ES.instances[0].url).to.equal(`${api}/api/v1/petitions/${DEMO_SLUG}/events`);
    expect(ES.instances[0].withCredentials).to.equal(false);
  });

  it('a stream that fails for good (503): polls /count instead', async () => {
    fastTimers({ poll: 100 });
    mock.worker.use(...petitionScenarios.streamUnavailable());
    const el = await mount();
    await until(() => gets('/count').length >= 2, () => 'two polls');
    expect(gets('/events').map((r) => r.status)).to.deep.equal([503]);
    mock.worker.use(http.get(COUNT_URL, () => HttpResponse.json({ count: 2000, goal: 5000, status: 'open' })));
    await until(() => counted(el) === '2,000', () => `2,000 (it is ${counted(el)})`);
  });

  it('a stream that never opens: polls after the timeout', async () => {
    fastTimers({ poll: 100, open: 150 });
    const ES = useFakeEventSource();
    await mount();
    await aTimeout(100);
    expect(gets('/count'), 'not before the timeout').to.have.length(0);
    await until(() => gets('/count').length >= 1, () => 'a poll');
    expect(ES.instances[0].closed, 'the stuck stream is closed').to.equal(true);
  });

  it('a stream that drops and does not come back: polls; one that comes back: keeps streaming', async () => {
    fastTimers({ poll: 100, open: 200 });
    const ES = useFakeEventSource();
    const el = await mount();
    const es = ES.instances[0];
    es.open();
    es.fail(false); // dropped: the browser retries
    es.open(); // …and is back
    await aTimeout(300);
    expect(gets('/count')).to.have.length(0);
    es.count({ count: 1400 });
    await el.updateComplete;
    expect(counted(el)).to.equal('1,400');
    es.fail(false);
    await until(() => gets('/count').length >= 1, () => 'a poll after the stream stayed down');
  });

  it('no EventSource at all: polls', async () => {
    fastTimers({ poll: 100 });
    stub(window, 'EventSource', undefined as unknown as typeof EventSource);
    await mount();
    await until(() => gets('/count').length >= 2, () => 'polls');
    expect(gets('/events')).to.have.length(0);
  });

  it('polling pauses while the page is hidden', async () => {
    fastTimers({ poll: 80 });
    stub(window, 'EventSource', undefined as unknown as typeof EventSource);
    stub(document, 'hidden', true);
    await mount();
    await aTimeout(400);
    expect(gets('/count'), 'no polls while hidden').to.have.length(0);
    stub(document, 'hidden', false);
    await until(() => gets('/count').length >= 1, () => 'polls once visible');
  });

  it('the petition closes on the stream: the form goes, the stream closes, the count freezes', async () => {
    fastTimers({ poll: 80 });
    const ES = useFakeEventSource();
    const el = await mount();
    const es = ES.instances[0];
    es.count({ count: 4000, status: 'closed' });
    await reach(el, 'closed');
    expect(es.closed).to.equal(true);
    expect($(el, 'form')).to.equal(null);
    expect(counted(el)).to.equal('4,000');
    expect(norm(el.shadowRoot!.textContent)).to.contain('This petition is closed.');
    await aTimeout(300);
    expect(gets('/count'), 'no polling either').to.have.length(0);
  });

  it('removed from the page: the stream closes and nothing polls', async () => {
    fastTimers({ poll: 80 });
    const ES = useFakeEventSource();
    const el = await mount();
    el.remove();
    expect(ES.instances[0].closed).to.equal(true);
    await aTimeout(300);
    expect(gets('/count')).to.have.length(0);
  });

  it('after signing, the announcement is the thanks, not a tick', async () => {
    const ES = useFakeEventSource();
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'signed');
    ES.instances[0].count({ count: 1500 });
    await el.updateComplete;
    expect(counted(el)).to.equal('1,500');
    expect(status(el)).to.equal('Thank you! Your signature has been counted.');
  });
});

describe('<compa-petition> countdown', () => {
  const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
  const H = 3600_000;

  it('"Closes in 3 days" with the date and time (and zone) in a <time>, never announced', async () => {
    const deadline = inMs(3 * 24 * H + 2 * H);
    const el = await mount({ data: demoPetition('en', { petition: { deadline } }) });
    await until(() => $(el, '[part~="deadline"]'), () => 'the deadline');
    const line = get(el, '[part~="deadline"]');
    expect(norm(line.textContent)).to.match(/^Closes in 3 days \(.+\)$/);
    const time = line.querySelector('time')!;
    expect(time.dateTime).to.equal(deadline);
    expect(norm(time.textContent)).to.equal(
      new Intl.DateTimeFormat('en', { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(
        new Date(deadline),
      ),
    );
    for (let n: Element | null = line; n; n = n.parentElement) expect(n.getAttribute('aria-live')).to.equal(null);
  });

  it('hours, then minutes, in the element’s language', async () => {
    const cases: [string, number, RegExp][] = [
      ['en', 5 * H + 10 * 60_000, /^Closes in 5 hours/],
      ['en', 2 * 24 * H + 20 * H, /^Closes in 3 days/],
      ['en', 12 * 60_000 - 1000, /^Closes in 12 minutes/],
      ['es', 3 * 24 * H + H, /^Se cierra dentro de 3 días/],
      ['fr', 5 * H + 60_000, /^Se termine dans 5 heures/],
    ];
    for (const [lang, ms, expected] of cases) {
      const el = await mount({ lang, data: demoPetition(lang, { petition: { deadline: inMs(ms) } }) });
      await speaks(el, lang);
      await until(() => $(el, '[part~="deadline"]'), () => 'the deadline');
      expect(text(el, '[part~="deadline"]'), `${lang} ${ms}`).to.match(expected);
    }
  });

  it('re-renders as time passes (at most once a tick), and asks the server once the deadline has passed', async () => {
    fastTimers({ tick: 100 });
    useFakeEventSource();
    const start = Date.now();
    let now = start;
    stub(Date, 'now', () => now);
    const deadline = new Date(start + 2 * H + 20 * 60_000).toISOString();
    const el = await mount({ data: demoPetition('en', { petition: { deadline } }) });
    await until(() => $(el, '[part~="deadline"]'), () => 'the deadline');
    expect(text(el, '[part~="deadline"]')).to.match(/^Closes in 2 hours/);
    now = start + 2 * H;
    await until(() => /^Closes in 20 minutes/.test(text(el, '[part~="deadline"]')), () => 'the countdown moving on');
    mock.worker.use(http.get(COUNT_URL, () => HttpResponse.json({ count: 1500, goal: 5000, status: 'closed' })));
    now = start + 3 * H;
    await reach(el, 'closed');
    expect($(el, '[part~="deadline"]')).to.equal(null);
    expect(counted(el)).to.equal('1,500');
  });

  it('no deadline: no countdown', async () => {
    const el = await mount({ data: demoPetition('en', { petition: { deadline: null } }) });
    await aTimeout(50);
    expect($(el, '[part~="deadline"]')).to.equal(null);
  });
});

describe('<compa-petition> closing while the supporter is on the page', () => {
  it('closes on the stream while typing: announced politely, focus moves to the message instead of being lost', async () => {
    const ES = useFakeEventSource();
    const el = await mount();
    get(el, '#email').focus();
    ES.instances[0].count({ count: 1300, status: 'closed' });
    await reach(el, 'closed');
    await until(() => status(el) === 'This petition is closed.', () => `the announcement (it is "${status(el)}")`);
    await until(() => el.shadowRoot!.activeElement?.id === 'closed', () => 'focus on the closed message');
    expect(get(el, '#closed').getAttribute('tabindex')).to.equal('-1');
  });

  it('closes on the stream while the supporter is elsewhere on the page: announced, focus left alone', async () => {
    const ES = useFakeEventSource();
    const outside = document.createElement('button');
    document.body.append(outside);
    try {
      const el = await mount();
      outside.focus();
      ES.instances[0].count({ count: 1300, status: 'closed' });
      await reach(el, 'closed');
      await until(() => status(el) === 'This petition is closed.', () => 'the announcement');
      expect(document.activeElement).to.equal(outside);
    } finally {
      outside.remove();
    }
  });
});
