/**
 * Webinar fixtures shared by the webinar test files: a published webinar in the store, a valid registration
 * body, the registration request, and small readers of rows and mails.
 *
 * They mirror the helpers exported by webinars.test.ts, which cannot be imported from another test file:
 * importing a test file runs its tests again in the importing file.
 */
import assert from 'node:assert/strict';
import { DAY, type Harness } from './helpers.ts';
import type { CreateWebinarInput, WebinarRecord } from '../../src/server/store/store.ts';
import type { OutgoingMail } from '../../src/server/mail/mailer.ts';

let seq = 0;

/**
 * A published webinar (English and Spanish; questions: optional text `org` of at most 20 characters, required
 * choice `role`, optional checkbox `captions`) starting `inMs` from the harness clock; returns the stored record.
 */
export async function createWebinar(h: Harness, overrides: Partial<CreateWebinarInput> = {}, inMs = 3 * DAY): Promise<WebinarRecord> {
  seq += 1;
  const slug = overrides.slug ?? `fixture-webinar-${seq}`;
  const start = new Date(h.clock.now().getTime() + inMs);
  await h.app.compa.store.createWebinar({
    slug,
    series: 'test-series',
    status: 'published',
    heldIn: 'es',
    interpretation: ['en'],
    start,
    end: new Date(start.getTime() + 90 * 60_000),
    timeZone: 'America/Bogota',
    capacity: 2,
    mode: 'open',
    joinUrl: `https://meet.example.org/secret-${seq}-join`,
    recordingUrl: null,
    questions: [
      { id: 'org', kind: 'text', required: false, maxLength: 20 },
      { id: 'role', kind: 'choice', required: true, options: ['press', 'supporter'] },
      { id: 'captions', kind: 'checkbox', required: false },
    ],
    texts: {
      en: {
        title: 'Water defenders speak',
        description: 'A conversation.',
        speakers: [{ name: 'Luz', organisation: 'Council', photoUrl: '/media/luz.jpg' }],
        questions: { org: { label: 'Organisation' }, role: { label: 'Role', options: { press: 'Press', supporter: 'Supporter' } }, captions: { label: 'Captions' } },
      },
      es: {
        title: 'Hablan las defensoras del agua',
        description: 'Una conversación.',
        speakers: [{ name: 'Luz', organisation: 'Consejo', photoUrl: '/media/luz.jpg' }],
        questions: { org: { label: 'Organización' }, role: { label: 'Rol', options: { press: 'Prensa', supporter: 'Apoyo' } }, captions: { label: 'Subtítulos' } },
      },
    },
    now: h.clock.now(),
    ...overrides,
  });
  return (await h.app.compa.store.getWebinar(slug))!;
}

/** A valid registration body; each call uses a new address unless `email` is given. */
export function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    name: 'Ana Gómez',
    email: `attendee-${process.pid}-${seq}@example.org`,
    answers: { role: 'supporter' },
    locale: 'en',
    consent: true,
    consentText: 'I agree that Compa demo stores my name and email to manage my registration.',
    ...overrides,
  };
}

/** POST /api/v1/webinars/:slug/registrations with a JSON body (a string is sent as is). */
export const register = (h: Harness, slug: string, body: unknown, headers: Record<string, string> = {}) =>
  h.inject({
    method: 'POST',
    url: `/api/v1/webinars/${slug}/registrations`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A registration's stored row, by address. */
export const registrationRow = (h: Harness, email: string) =>
  h.rows<{ id: number; status: string; reminders_sent: string }>('select id, status, reminders_sent from registrations where email = ?', email)[0];

export const mailsTo = (mails: OutgoingMail[], email: string): OutgoingMail[] => mails.filter((m) => m.to === email);

/** The calendar file attached to a mail (fails when there is none). */
export function icsOf(mail: OutgoingMail): string {
  const a = mail.attachments?.find((x) => x.filename.endsWith('.ics'));
  assert.ok(a, `a calendar file in "${mail.subject}"`);
  return a.content;
}

/** A regular expression matching a literal string. */
export const literal = (s: string): RegExp => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
