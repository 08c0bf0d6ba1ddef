/**
 * The real launcher (`node src/server/main.ts`) as an operator runs it: first start, restart, and
 * SIGTERM while a supporter's request is in flight.
 */
import { freePort } from '../support/server.ts';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openClearReaderAt } from './clear-view.ts';
import { REPO_ROOT, subscription } from './helpers.ts';


interface Server {
  child: ChildProcess;
  port: number;
  /** Parsed JSON log lines so far. */
  logs: Record<string, unknown>[];
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when a log line matches. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'compa-life-'));
  await mkdir(join(dir, 'dist'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(t: TestContext, dir: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['src/server/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      COMPA_HOST: '127.0.0.1',
      COMPA_PORT: String(port),
      COMPA_DATABASE_URL: `sqlite:${join(dir, 'compa.db')}`,
      COMPA_OUTBOX_DIR: join(dir, 'outbox'),
      COMPA_DIST_DIR: join(dir, 'dist'),
      COMPA_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stdout = '';
  let stderr = '';
  const logs: Record<string, unknown>[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      logs.push(parsed);
      for (const w of [...waiters]) {
        if (w.match(parsed)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(parsed);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const output = () => `--- stdout\n${stdout}\n--- stderr\n${stderr}`;
  const server: Server = {
    child,
    port,
    logs,
    output,
    exited,
    waitForLog(match, timeoutMs = 10_000) {
      const found = logs.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`log line not seen within ${timeoutMs} ms\n${output()}`)), timeoutMs);
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        void exited.then(() => setTimeout(() => reject(new Error(`server exited before the log line\n${output()}`)), 50));
      });
    },
  };
  await waitForHealth(server);
  return server;
}

async function waitForHealth(server: Server, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`the server exited (${server.child.exitCode})\n${server.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok && ((await res.json()) as { status?: string }).status === 'ok') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no health answer within ${timeoutMs} ms\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(server: Server): Promise<number | null> {
  server.child.kill('SIGTERM');
  const { code } = await server.exited;
  return code;
}

function readDb<T>(dir: string, fn: (db: DatabaseSync) => T): T {
  const db = openClearReaderAt(join(dir, 'compa.db'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

test('SIGTERM lets a request in flight finish (202, on disk), then exits 0', { timeout: 30_000 }, async (t) => {
  const dir = await tempDir(t);
  const server = await start(t, dir);
  const body = JSON.stringify(subscription({ email: 'in.flight@example.org' }));
  const half = Math.floor(body.length / 2);

  // A keep-alive client, as browsers and proxies are: the connection stays open after the answer.
  const agent = new http.Agent({ keepAlive: true });
  t.after(() => agent.destroy());
  let answered = false;
  let sendRest = (): void => {
    throw new Error('request not started');
  };
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/api/v1/subscriptions',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => {
          answered = true;
          resolve({ status: res.statusCode!, body: text });
        });
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, half));
    sendRest = () => req.end(body.slice(half));
  });

  // The server has the request (its headers are in, half the body is still to come) …
  await server.waitForLog((l) => l.msg === 'incoming request' && (l.req as { url?: string })?.url === '/api/v1/subscriptions');
  // … when the operator stops it.
  server.child.kill('SIGTERM');
  await server.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('stopping'));
  assert.equal(answered, false);
  sendRest();

  const res = await response;
  assert.equal(res.status, 202, res.body);
  assert.deepEqual(JSON.parse(res.body), { status: 'pending_confirmation' });

  const started = Date.now();
  const { code } = await server.exited;
  assert.equal(code, 0, server.output());
  assert.ok(Date.now() - started < 5_000, `the server exited promptly after the last answer (${Date.now() - started} ms)`);

  const rows = readDb(dir, (db) =>
    db
      .prepare(
        `select x.status from subscribers s join subscriptions x on x.subscriber_id = s.id where s.email = ?`,
      )
      .all('in.flight@example.org'),
  );
  assert.deepEqual(rows.map((r) => r.status), ['pending']);
});

test('kill -9 right after a 202 loses nothing: the record is on disk and its mail goes out after restart', { timeout: 30_000 }, async (t) => {
  const dir = await tempDir(t);
  const server = await start(t, dir);
  const email = 'acknowledged@example.org';
  const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(subscription({ email })),
  });
  assert.equal(res.status, 202);
  server.child.kill('SIGKILL');
  assert.equal((await server.exited).signal, 'SIGKILL');

  const statuses = () =>
    readDb(dir, (db) =>
      db.prepare('select x.status from subscribers s join subscriptions x on x.subscriber_id = s.id where s.email = ?').all(email),
    ).map((r) => r.status);
  assert.deepEqual(statuses(), ['pending'], 'the acknowledged subscription survived');

  const restarted = await start(t, dir);
  const jobs = () => readDb(dir, (db) => db.prepare('select status from jobs').all().map((r) => r.status));
  const deadline = Date.now() + 10_000;
  while (jobs().includes('pending') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(jobs(), ['done'], 'the confirmation mail job ran (before the kill or after the restart)');
  assert.ok(readdirSync(join(dir, 'outbox')).some((f) => f.endsWith('.eml')), 'the mail is in the outbox');
  assert.equal(await stop(restarted), 0, restarted.output());
});

test('first start creates, migrates and seeds the database; a restart does not seed again', { timeout: 30_000 }, async (t) => {
  const dir = await tempDir(t);
  const dbFile = join(dir, 'compa.db');
  assert.equal(existsSync(dbFile), false);

  const first = await start(t, dir);
  const listsRes = await fetch(`http://127.0.0.1:${first.port}/api/v1/lists`);
  assert.equal(listsRes.status, 200);
  const publicLists = ((await listsRes.json()) as { lists: unknown[] }).lists;
  assert.ok(publicLists.length > 0, 'the demo lists are served');
  assert.equal(await stop(first), 0, first.output());
  assert.ok(first.logs.some((l) => l.msg === 'database migrated'));
  assert.ok(first.logs.some((l) => l.msg === 'demo content seeded'));

  const snapshot = () =>
    readDb(dir, (db) => ({
      lists: db.prepare('select slug from newsletter_lists order by id').all().map((r) => r.slug),
      migrations: db.prepare('select name from kysely_migration order by name').all().map((r) => r.name),
      secret: db.prepare(`select value from meta where key = 'secret'`).get()?.value,
    }));
  const afterFirst = snapshot();
  assert.ok(afterFirst.lists.length >= publicLists.length);
  assert.ok(afterFirst.migrations.length > 0);
  assert.ok(afterFirst.secret, 'a signing secret was generated and kept');

  const second = await start(t, dir);
  assert.equal(await stop(second), 0, second.output());
  assert.deepEqual(snapshot(), afterFirst, 'no duplicate lists, no migration re-run, the same secret (old mail links keep working)');
  assert.ok(!second.logs.some((l) => l.msg === 'database migrated'));
  assert.ok(!second.logs.some((l) => l.msg === 'demo content seeded'));
});
