/**
 * Helpers of the admin API tests: a harness with a write token and a read token, requests that carry a token,
 * valid bodies of each kind, and the admin commands run as a real child process on the harness's database.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { TestContext } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { REPO_ROOT, harness, type Harness, type HarnessOptions } from './helpers.ts';
import { createToken } from '../../src/server/admin/tokens.ts';

export interface AdminHarness extends Harness {
  /** Tokens of scope write and read. */
  write: string;
  read: string;
  /** A request with `token` (default: the write token); a body is sent as JSON. */
  api(method: string, url: string, body?: unknown, opts?: { token?: string | null; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
}

export async function adminHarness(t: TestContext, opts: HarnessOptions = {}): Promise<AdminHarness> {
  const h = await harness(t, { ...opts, env: { COMPA_DEMO: 'false', ...opts.env } });
  const ctx = h.app.compa;
  const write = (await createToken(ctx, { name: 'test writer', scope: 'write' })).token;
  const read = (await createToken(ctx, { name: 'test reader', scope: 'read' })).token;
  const api: AdminHarness['api'] = (method, url, body, o = {}) => {
    const token = o.token === undefined ? write : o.token;
    return h.app.inject({
      method: method as 'GET',
      url: url.startsWith('/') ? url : `/api/v1/admin/${url}`,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...o.headers,
      },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  };
  return Object.assign(h, { write, read, api });
}

/** The rows of an admin table as plain objects. */
export const auditRows = (h: Harness) =>
  h.rows<{ token_id: number | null; token_name: string; method: string; route: string; target: string; status: number }>('select * from admin_audit order by id').map((r) => ({ ...r }));

let seq = 0;
export const next = () => ++seq;

export const listBody = (o: Record<string, unknown> = {}) => ({
  texts: { en: { name: 'Urgent actions', description: 'When a defender is in danger' }, es: { name: 'Acciones urgentes', description: 'Cuando una defensora está en peligro' } },
  isPublic: true,
  ...o,
});

export const petitionBody = (o: Record<string, unknown> = {}) => ({
  status: 'open',
  goal: 500,
  texts: {
    en: { title: 'Protect the water defenders', summary: 'They face threats.', body: '<p>Act now.</p><script>alert(1)</script>', target: 'the Governor' },
    es: { title: 'Protejan a las defensoras del agua', summary: 'Enfrentan amenazas.', body: '<p>Actúa.</p>', target: 'el Gobernador' },
    fr: { title: 'Protégez les défenseuses de l’eau', summary: 'Elles sont menacées.', body: '<p>Agissez.</p>', target: 'le Gouverneur' },
  },
  ...o,
});

/** A webinar starting `inDays` days after `now`. */
export const webinarBody = (now: Date, o: Record<string, unknown> = {}, inDays = 5) => {
  const start = new Date(now.getTime() + inDays * 86_400_000);
  return {
    status: 'published',
    heldIn: 'es',
    interpretation: ['en'],
    start: start.toISOString(),
    end: new Date(start.getTime() + 3_600_000).toISOString(),
    timeZone: 'America/Bogota',
    capacity: 2,
    joinUrl: 'https://meet.example.org/secret-room',
    texts: {
      es: { title: 'Defensoras en directo', description: 'Una conversación.' },
      en: { title: 'Defenders live', description: 'A conversation.' },
    },
    ...o,
  };
};

export const storyBody = (o: Record<string, unknown> = {}) => ({
  date: '2026-02-20T09:00:00-05:00',
  partner: 'Radio La Voz',
  country: 'co',
  tags: ['Radio'],
  texts: { es: { title: 'La radio sigue encendida', body: '<p>Cinco mujeres.</p><script>alert(1)</script>' } },
  ...o,
});

/** A registration request body for the public webinar route. */
export const registrationBody = (o: Record<string, unknown> = {}) => ({
  name: 'Luz Mery',
  email: `luz-${process.pid}-${next()}@example.org`,
  locale: 'es',
  consent: true,
  consentText: 'Acepto que guarden mis datos para este webinar.',
  answers: {},
  ...o,
});

const run = promisify(execFile);

/** Runs `compa <args>` with the admin commands (token, import) as a child process on the harness's database. */
export async function adminCli(h: Harness, args: string[], cwd = REPO_ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  const dispatch = pathToFileURL(join(REPO_ROOT, 'src/server/cli/dispatch.ts')).href;
  const admin = pathToFileURL(join(REPO_ROOT, 'src/server/admin/cli.ts')).href;
  const script = `
    const { runCli } = await import(${JSON.stringify(dispatch)});
    const { tokenCommand, importCommand } = await import(${JSON.stringify(admin)});
    process.exitCode = await runCli(process.argv.slice(1), [{ title: 'Admin', commands: [tokenCommand, importCommand] }]);`;
  try {
    const out = await run(process.execPath, ['--input-type=module', '-e', script, ...args], {
      cwd,
      env: { PATH: process.env.PATH, COMPA_DATABASE_URL: `sqlite:${h.dbPath}`, COMPA_OUTBOX_DIR: h.outboxDir, COMPA_LOG_LEVEL: 'silent', COMPA_DEMO: 'false' },
    });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (e) {
    const err = e as { code?: unknown; stdout: string; stderr: string };
    assert.equal(typeof err.code, 'number', `the command did not run: ${String(e)}`);
    return { code: err.code as number, stdout: err.stdout, stderr: err.stderr };
  }
}
