/**
 * Calendar files (RFC 5545) and add-to-calendar links for webinar registrations (issue 4; used by its mails).
 * Times are written in UTC (`…Z`), which every calendar app converts to the reader's zone; the event's own zone
 * travels as `X-WR-TIMEZONE` for apps that show it. Lines end with CRLF and are folded at 75 octets without
 * splitting a character; text values are escaped.
 */
export interface CalendarEvent {
  /** Stable across updates of the same registration (a re-sent file replaces the entry, never duplicates it). */
  uid: string;
  title: string;
  description: string;
  start: Date;
  end: Date;
  /** IANA zone the event is held in, e.g. "America/Bogota". */
  timeZone: string;
  /** The join link (secret: only in the registrant's own mail and file). */
  url: string | null;
  organiser: { name: string; email: string };
  /** The registrant (RFC 5546 asks a CANCEL to name its attendees). */
  attendee?: string;
  /** Bumped when the event changes (time, link), so calendars accept the update. */
  sequence?: number;
  /** When the file is made (DTSTAMP). */
  now: Date;
  /** `CANCELLED` when the registration is cancelled (the entry is removed). */
  status?: 'CONFIRMED' | 'CANCELLED';
}

/** `20261210T150000Z` */
export function icsUtc(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character. */
export function icsFold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with one space
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

export function buildIcs(e: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Compa//Compa webinars//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${e.status === 'CANCELLED' ? 'CANCEL' : 'PUBLISH'}`,
    `X-WR-TIMEZONE:${e.timeZone}`,
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `SEQUENCE:${e.sequence ?? 0}`,
    `DTSTAMP:${icsUtc(e.now)}`,
    `DTSTART:${icsUtc(e.start)}`,
    `DTEND:${icsUtc(e.end)}`,
    `SUMMARY:${icsText(e.title)}`,
    `DESCRIPTION:${icsText(e.url ? `${e.description}\n\n${e.url}` : e.description)}`,
    ...(e.url ? [`URL:${e.url}`, `LOCATION:${icsText(e.url)}`] : []),
    `ORGANIZER;CN=${JSON.stringify(e.organiser.name.replace(/"/g, "'"))}:mailto:${e.organiser.email}`,
    ...(e.attendee ? [`ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:${e.attendee}`] : []),
    `STATUS:${e.status ?? 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(icsFold).join('\r\n') + '\r\n';
}

/** "Add to calendar" links for web calendars (in the registrant's mail only: they carry the join link). */
export function calendarLinks(e: Pick<CalendarEvent, 'title' | 'description' | 'start' | 'end' | 'url'>): { google: string; outlook: string } {
  const details = e.url ? `${e.description}\n\n${e.url}` : e.description;
  const google = new URL('https://calendar.google.com/calendar/render');
  google.searchParams.set('action', 'TEMPLATE');
  google.searchParams.set('text', e.title);
  google.searchParams.set('dates', `${icsUtc(e.start)}/${icsUtc(e.end)}`);
  google.searchParams.set('details', details);
  const outlook = new URL('https://outlook.live.com/calendar/0/deeplink/compose');
  outlook.searchParams.set('path', '/calendar/action/compose');
  outlook.searchParams.set('rru', 'addevent');
  outlook.searchParams.set('subject', e.title);
  outlook.searchParams.set('startdt', e.start.toISOString());
  outlook.searchParams.set('enddt', e.end.toISOString());
  outlook.searchParams.set('body', details);
  return { google: google.href, outlook: outlook.href };
}
