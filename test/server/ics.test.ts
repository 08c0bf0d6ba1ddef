import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildIcs, calendarLinks, icsFold, icsText, icsUtc, type CalendarEvent } from '../../src/server/webinars/ics.ts';

const event: CalendarEvent = {
  uid: 'webinar-7-registration-42@compa.example.org',
  title: 'Defensoras del territorio: diálogo con Río Verde',
  description: 'Con interpretación al inglés; preguntas al final.\nTrae tus dudas, por favor.',
  start: new Date('2026-12-10T15:00:00Z'),
  end: new Date('2026-12-10T16:30:00Z'),
  timeZone: 'America/Bogota',
  url: 'https://meet.example.org/j/secret-room-1234?pwd=abc',
  organiser: { name: 'Brigadas "Demo"', email: 'webinars@example.org' },
  now: new Date('2026-11-23T12:00:00Z'),
};

/** Unfolds and splits a calendar file into [name, value] pairs (what calendar apps do first). */
function parse(ics: string): [string, string][] {
  assert.ok(!/(?<!\r)\n/.test(ics), 'every line ends with CRLF');
  return ics
    .replace(/\r\n /g, '')
    .split('\r\n')
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i), l.slice(i + 1)];
    });
}

test('a calendar file: one VEVENT in UTC with a stable UID, the join link, and every line within 75 octets', () => {
  const ics = buildIcs(event);
  for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
  const pairs = parse(ics);
  const props = new Map(pairs);
  assert.deepEqual(pairs.filter(([k]) => k === 'BEGIN' || k === 'END').map(([k, v]) => `${k}:${v}`), [
    'BEGIN:VCALENDAR',
    'BEGIN:VEVENT',
    'END:VEVENT',
    'END:VCALENDAR',
  ]);
  assert.equal(props.get('VERSION'), '2.0');
  assert.equal(props.get('UID'), event.uid);
  assert.equal(props.get('DTSTART'), '20261210T150000Z');
  assert.equal(props.get('DTEND'), '20261210T163000Z');
  assert.equal(props.get('DTSTAMP'), '20261123T120000Z');
  assert.equal(props.get('URL'), event.url);
  assert.equal(props.get('SUMMARY'), 'Defensoras del territorio: diálogo con Río Verde');
  assert.equal(props.get('DESCRIPTION'), 'Con interpretación al inglés\\; preguntas al final.\\nTrae tus dudas\\, por favor.\\n\\nhttps://meet.example.org/j/secret-room-1234?pwd=abc');
  assert.equal(props.get('X-WR-TIMEZONE'), 'America/Bogota');
  assert.equal(props.get('STATUS'), 'CONFIRMED');
  assert.equal(props.get('METHOD'), 'PUBLISH');
  assert.deepEqual(parse(buildIcs({ ...event, now: new Date() })).find(([k]) => k === 'UID'), ['UID', event.uid], 'the UID does not change when re-sent');
});

test('a cancelled registration cancels the same entry', () => {
  const props = new Map(parse(buildIcs({ ...event, status: 'CANCELLED', sequence: 1 })));
  assert.equal(props.get('METHOD'), 'CANCEL');
  assert.equal(props.get('STATUS'), 'CANCELLED');
  assert.equal(props.get('SEQUENCE'), '1');
  assert.equal(props.get('UID'), event.uid);
});

test('folding never splits a character, and text is escaped', () => {
  const long = 'é'.repeat(100);
  const folded = icsFold(`SUMMARY:${long}`);
  for (const line of folded.split('\r\n')) {
    assert.ok(Buffer.byteLength(line) <= 75);
    assert.ok(!line.includes('\uFFFD'));
  }
  assert.equal(folded.replace(/\r\n /g, ''), `SUMMARY:${long}`);
  assert.equal(icsText('a\\b;c,d\ne'), 'a\\\\b\\;c\\,d\\ne');
  assert.equal(icsUtc(new Date('2026-03-29T01:00:00.000Z')), '20260329T010000Z');
});

test('add-to-calendar links carry the UTC times and the join link', () => {
  const { google, outlook } = calendarLinks(event);
  const g = new URL(google);
  assert.equal(g.searchParams.get('dates'), '20261210T150000Z/20261210T163000Z');
  assert.ok(g.searchParams.get('details')!.includes(event.url!));
  const o = new URL(outlook);
  assert.equal(o.searchParams.get('startdt'), '2026-12-10T15:00:00.000Z');
  assert.equal(o.searchParams.get('subject'), event.title);
});

test('Mozilla’s calendar parser (Thunderbird’s) reads the file: the event, its times, its text', async () => {
  const { default: ICAL } = await import('ical.js');
  const calendar = new ICAL.Component(ICAL.parse(buildIcs(event)));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  const parsed = new ICAL.Event(vevent);
  assert.equal(parsed.uid, event.uid);
  assert.equal(parsed.summary, event.title);
  assert.equal(parsed.description, `${event.description}\n\n${event.url}`);
  assert.equal(parsed.startDate.toJSDate().toISOString(), event.start.toISOString());
  assert.equal(parsed.endDate.toJSDate().toISOString(), event.end.toISOString());
});
