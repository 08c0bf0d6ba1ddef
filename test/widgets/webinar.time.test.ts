/**
 * `<compa-webinar>`: when the webinar takes place, in the supporter's own time zone (the `time-zone` attribute, else
 * the browser's), naming it, with the event's own time beside it when the two differ at the event's instant
 * (daylight-saving time starts on different days on each side of the Atlantic), the date there when it differs.
 * The year appears only when it is not the current one, so the expectations allow it.
 */
import { expect } from '@open-wc/testing';
import type { Webinar } from '../../src/schemas/webinar.ts';
import { $, $$, get, norm, speaks, text, until, useWidgetPage } from './common.helpers.ts';
import { mount, webinarData, type CompaWebinar } from './webinar.helpers.ts';

useWidgetPage();

/** A webinar given as data, from `start` for `minutes`, held in zone `timeZone`. */
const at = (start: string, timeZone: string, minutes = 90): Webinar =>
  webinarData({ start, end: new Date(Date.parse(start) + minutes * 60_000).toISOString().replace('.000', ''), timeZone });

/**
 * Mounts and waits until the webinar shows, whatever its state: the state follows the clock, and these fixed dates
 * will be past one day (then closed or ended: the times show all the same).
 */
async function show(o: Parameters<typeof mount>[0]): Promise<CompaWebinar> {
  const el = await mount(o, null);
  await until(() => $(el, '[part~="time"]'), () => 'the webinar');
  await el.updateComplete;
  return el;
}

const mine = (el: CompaWebinar) => text(el, '[part~="time"] > time');
const theirs = (el: CompaWebinar) => ($(el, '[part~="event-time"]') ? text(el, '[part~="event-time"]') : null);
/** "Thursday, December 10" or "Thursday, December 10, 2026" (the year when it is not this one). */
const day = (weekday: string, date: string, year: number) => `${weekday}, ${date}${new Date().getFullYear() === year ? '' : `, ${year}`}`;

describe('<compa-webinar>: times in the supporter’s zone, naming it', () => {
  it('another zone than the event’s: both times, each zone named (event in Bogotá, supporter in Madrid)', async () => {
    const el = await show({ data: at('2026-12-10T15:00:00Z', 'America/Bogota'), timeZone: 'Europe/Madrid' });
    expect(mine(el)).to.equal(`${day('Thursday', 'December 10', 2026)}, 4:00 – 5:30 PM Central European Standard Time`);
    expect(theirs(el)).to.equal('(10:00 – 11:30 AM Colombia Standard Time, local time of the event)');
    // Machine-readable instants on both.
    expect($$(el, '[part~="time"] time').map((t) => t.getAttribute('datetime'))).to.deep.equal(['2026-12-10T15:00:00Z', '2026-12-10T15:00:00Z']);
  });

  it('the same zone as the event’s, or another with the same time then: one time only, its zone named', async () => {
    const same = await show({ data: at('2026-12-10T15:00:00Z', 'Europe/Madrid'), timeZone: 'Europe/Madrid' });
    expect(mine(same)).to.equal(`${day('Thursday', 'December 10', 2026)}, 4:00 – 5:30 PM Central European Standard Time`);
    expect(theirs(same)).to.equal(null);
    const paris = await show({ data: at('2026-12-10T15:00:00Z', 'Europe/Madrid'), timeZone: 'Europe/Paris' });
    expect(theirs(paris), 'Paris and Madrid keep the same time').to.equal(null);
  });

  it('compares the zones at the event’s instant, not today: London and UTC agree in winter, not in summer', async () => {
    const winter = await show({ data: at('2027-01-15T12:00:00Z', 'Europe/London'), timeZone: 'UTC' });
    expect(theirs(winter)).to.equal(null);
    expect(mine(winter)).to.equal(`${day('Friday', 'January 15', 2027)}, 12:00 – 1:30 PM Coordinated Universal Time`);
    const summer = await show({ data: at('2027-07-15T12:00:00Z', 'Europe/London'), timeZone: 'UTC' });
    expect(mine(summer)).to.equal(`${day('Thursday', 'July 15', 2027)}, 12:00 – 1:30 PM Coordinated Universal Time`);
    expect(theirs(summer)).to.equal('(1:00 – 2:30 PM British Summer Time, local time of the event)');
  });

  describe('daylight-saving boundaries: an event in Madrid at 16:00, seen from New York (whose summer time starts two weeks earlier)', () => {
    it('the day before Europe’s change (Saturday 27 March 2027): 11:00 in New York, 5 hours apart', async () => {
      const el = await show({ data: at('2027-03-27T15:00:00Z', 'Europe/Madrid'), timeZone: 'America/New_York' });
      expect(mine(el)).to.equal(`${day('Saturday', 'March 27', 2027)}, 11:00 AM – 12:30 PM Eastern Daylight Time`);
      expect(theirs(el)).to.equal('(4:00 – 5:30 PM Central European Standard Time, local time of the event)');
    });

    it('the day after (Monday 29 March 2027): 10:00 in New York, 6 hours apart again', async () => {
      const el = await show({ data: at('2027-03-29T14:00:00Z', 'Europe/Madrid'), timeZone: 'America/New_York' });
      expect(mine(el)).to.equal(`${day('Monday', 'March 29', 2027)}, 10:00 – 11:30 AM Eastern Daylight Time`);
      expect(theirs(el)).to.equal('(4:00 – 5:30 PM Central European Summer Time, local time of the event)');
    });

    it('before New York’s change too (Friday 12 March 2027): 10:00, Eastern Standard Time', async () => {
      const el = await show({ data: at('2027-03-12T15:00:00Z', 'Europe/Madrid'), timeZone: 'America/New_York' });
      expect(mine(el)).to.equal(`${day('Friday', 'March 12', 2027)}, 10:00 – 11:30 AM Eastern Standard Time`);
    });
  });

  it('another date in the supporter’s zone: the event’s time comes with its own date', async () => {
    // 20:00 in Bogotá on Thursday is 02:00 on Friday in Madrid.
    const el = await show({ data: at('2026-12-11T01:00:00Z', 'America/Bogota'), timeZone: 'Europe/Madrid' });
    expect(mine(el)).to.equal(`${day('Friday', 'December 11', 2026)}, 2:00 – 3:30 AM Central European Standard Time`);
    expect(theirs(el)).to.equal(`(${day('Thursday', 'December 10', 2026)}, 8:00 – 9:30 PM Colombia Standard Time, local time of the event)`);
  });

  it('an event ending the next day shows both dates', async () => {
    const el = await show({ data: at('2026-12-10T22:00:00Z', 'Europe/Madrid', 150), timeZone: 'Europe/Madrid' });
    expect(mine(el)).to.match(/^Thursday, December 10(, 2026)?,? (at )?11:00 PM – Friday, December 11(, 2026)?,? (at )?1:30 AM Central European Standard Time$/);
  });

  it('`time-zone` sets the zone (literal hours and zone names, Madrid then Tokyo, in English and French)', async () => {
    const data = at('2026-12-10T15:00:00Z', 'America/Bogota');
    const madrid = await show({ data, timeZone: 'Europe/Madrid' });
    expect(mine(madrid)).to.match(/, 4:00\s?–\s?5:30\sPM Central European Standard Time$/);
    const tokyo = await show({ data, timeZone: 'Asia/Tokyo' });
    // 15:00 UTC is midnight the next day in Tokyo.
    expect(mine(tokyo)).to.match(/^Friday, December 11(, 2026)?, 12:00\s?–\s?1:30\sAM Japan Standard Time$/);
    const paris = await show({ data, timeZone: 'Europe/Paris', lang: 'fr' });
    await speaks(paris, 'fr');
    expect(mine(paris)).to.match(/ 16:00\s?–\s?17:30\sheure normale d’Europe centrale$/);
  });

  it('without `time-zone`, or with an invalid one, the browser’s zone', async () => {
    const data = at('2026-12-10T15:00:00Z', 'America/Bogota');
    const browser = await show({ data });
    const invalid = await show({ data, timeZone: 'Mars/Olympus_Mons' });
    const own = await show({ data, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    const madrid = await show({ data, timeZone: 'Europe/Madrid' });
    const tokyo = await show({ data, timeZone: 'Asia/Tokyo' });
    expect(mine(browser)).to.equal(mine(own));
    expect(mine(invalid)).to.equal(mine(browser));
    // Whatever the browser's zone, it is not both Madrid's and Tokyo's.
    expect(mine(browser) !== mine(madrid) || mine(browser) !== mine(tokyo)).to.equal(true);
  });

  it('the attribute can change after loading', async () => {
    const el = await show({ data: at('2026-12-10T15:00:00Z', 'America/Bogota'), timeZone: 'Europe/Madrid' });
    el.setAttribute('time-zone', 'America/Bogota');
    await el.updateComplete;
    expect(norm(get(el, '[part~="time"]').textContent)).to.equal(`${day('Thursday', 'December 10', 2026)}, 10:00 – 11:30 AM Colombia Standard Time`);
  });
});
