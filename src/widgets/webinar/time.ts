/**
 * When a webinar takes place, in words: in the supporter's time zone, naming it, and in the event's own zone
 * when the two differ AT THE EVENT'S INSTANT (offsets compared then, not today: daylight-saving boundaries fall on
 * different days in different countries). Everything through `Intl`, in the widget's locale.
 */

/** `tz` if it is an IANA zone the browser knows (its canonical name), else undefined. */
export function validZone(tz: string | null | undefined): string | undefined {
  try {
    return tz ? new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone : undefined;
  } catch {
    return undefined;
  }
}

/** The wall-clock date and time of `d` in zone `tz`, as "2026-12-10 16:00" (Swedish dates are ISO-shaped). */
const wall = (tz: string, d: Date): string => new Intl.DateTimeFormat('sv', { timeZone: tz, dateStyle: 'short', timeStyle: 'short' }).format(d);

/**
 * "Thursday, December 10, 4:00 – 5:30 PM Central European Standard Time": the range in `tz`, with the date when
 * `date`, then the zone's long name at the start. (`formatRange` with `timeZoneName: 'long'` shortens the name to
 * "GMT+1" in Chromium, so the name is added here.)
 */
function range(locale: string, tz: string, s: Date, e: Date, date: boolean): string {
  const o: Intl.DateTimeFormatOptions = { timeZone: tz, hour: 'numeric', minute: '2-digit' };
  if (date) {
    Object.assign(o, { weekday: 'long', day: 'numeric', month: 'long' });
    // The year only when it is not this year's.
    if (wall(tz, s).slice(0, 4) !== wall(tz, new Date()).slice(0, 4)) o.year = 'numeric';
  }
  const name = new Intl.DateTimeFormat(locale, { timeZone: tz, timeZoneName: 'long' }).formatToParts(s).find((p) => p.type === 'timeZoneName');
  return new Intl.DateTimeFormat(locale, o).formatRange(s, e) + (name ? ' ' + name.value : '');
}

/**
 * The webinar's time in zone `mine` (with the date, naming the zone), and in the event's zone `theirs` when its
 * wall-clock time differs at the start or the end (with the date too when that differs).
 */
export function when(start: string, end: string, theirs: string, mine: string, locale: string): [mine: string, theirs?: string] {
  const s = new Date(start);
  const e = new Date(end);
  const tz = validZone(theirs) ?? 'UTC';
  const a = wall(mine, s);
  const b = wall(tz, s);
  return [
    range(locale, mine, s, e, true),
    a === b && wall(mine, e) === wall(tz, e) ? undefined : range(locale, tz, s, e, a.slice(0, 10) !== b.slice(0, 10)),
  ];
}
