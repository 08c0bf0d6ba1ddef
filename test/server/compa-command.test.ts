/**
 * The `compa` command as an organiser runs it: `node bin/compa.js …` in a child process, in an empty directory,
 * on a fresh database. Help, exit codes (sysexits), `migrate` and `serve`.
 * (The commands' own work is tested in cli.test.ts, webinars-cli.test.ts and stories-cli.test.ts.)
 */
import { freePort } from '../support/server.ts';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { REPO_ROOT, TABLES } from './helpers.ts';

const BIN = join(REPO_ROOT, 'bin/compa.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function tmp(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'compa-cmd-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function envFor(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    COMPA_DATABASE_URL: `sqlite:${join(dir, 'c.db')}`,
    COMPA_OUTBOX_DIR: join(dir, 'outbox'),
    COMPA_LOG_LEVEL: 'silent',
    COMPA_DEMO: 'false',
    ...extra,
  };
}

/** Runs `compa ARGS` in `dir`; resolves with the exit code and output, whatever the code. */
function compa(dir: string, args: string[], extra: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, env: envFor(dir, extra), timeout: 30_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/** `fn` over `items`, three at a time (each is a child process). */
async function inBatches<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 3) out.push(...(await Promise.all(items.slice(i, i + 3).map(fn))));
  return out;
}

/** The command names `compa --help` lists (the indented lines under each heading). */
function listed(help: string): string[] {
  return [...help.matchAll(/^ {2}([a-z][a-z-]*) {2,}\S/gm)].map((m) => m[1]!);
}

/** The options each command's help must name (checked for the commands that are listed). */
const OPTIONS: Record<string, string[]> = {
  'action-links': ['--petition', '--page', '--list', '--email', '--days'],
  registrations: ['--webinar'],
  'registration-approve': ['--webinar', '--id', '--email'],
  'registration-decline': ['--webinar', '--id', '--email'],
  'story-withdraw': ['--at'],
  token: ['--name', '--scope', 'create', 'list', 'revoke'],
  export: ['--campaign', '--since'],
  retention: ['--dry-run'],
};

const EXPECTED = [
  'serve',
  'migrate',
  'token',
  'import',
  'petition-put',
  'petitions',
  'action-links',
  'webinar-put',
  'webinars',
  'registrations',
  'registration-approve',
  'registration-decline',
  'story-put',
  'stories',
  'story-withdraw',
  'stories-import',
  'export',
  'erase',
  'retention',
  'keys',
];

test('compa, compa --help and compa help list every command with its summary, and exit 0', async (t) => {
  const dir = await tmp(t);
  const outputs = await Promise.all([compa(dir, []), compa(dir, ['--help']), compa(dir, ['-h']), compa(dir, ['help'])]);
  for (const r of outputs) {
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, outputs[0]!.stdout);
  }
  const names = listed(outputs[0]!.stdout);
  for (const name of EXPECTED) assert.ok(names.includes(name), `lists ${name}:\n${outputs[0]!.stdout}`);
  assert.match(outputs[0]!.stdout, /compa <command> --help/);
  assert.ok(!existsSync(join(dir, 'c.db')), 'help opens no database');
});

test('each command’s --help (and -h, and compa help COMMAND) exits 0 and names its options', async (t) => {
  const dir = await tmp(t);
  const names = listed((await compa(dir, ['--help'])).stdout);
  const helps = await inBatches(names, (name) => compa(dir, [name, '--help']));
  for (const [i, name] of names.entries()) {
    const r = helps[i]!;
    assert.equal(r.code, 0, `${name} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^usage: compa ${name}\\b`), `${name} --help starts with its usage`);
    assert.match(r.stdout, /Exit codes: 0 /, `${name} --help gives its exit codes`);
    for (const option of OPTIONS[name] ?? []) assert.ok(r.stdout.includes(option), `${name} --help names ${option}:\n${r.stdout}`);
  }
  // The other spellings print the same text; --help wins over the other arguments (nothing runs).
  const help = (await compa(dir, ['action-links', '--help'])).stdout;
  assert.equal((await compa(dir, ['action-links', '-h'])).stdout, help);
  assert.equal((await compa(dir, ['help', 'action-links'])).stdout, help);
  assert.equal((await compa(dir, ['action-links', '--petition', 'x', '--help'])).stdout, help);
  assert.ok(!existsSync(join(dir, 'c.db')), 'help opens no database');
});

test('an unknown command exits 64, naming it, and lists the commands', async (t) => {
  const dir = await tmp(t);
  const r = await compa(dir, ['petiton-put', 'x.json']);
  assert.equal(r.code, 64);
  assert.match(r.stderr.split('\n')[0]!, /unknown command "petiton-put"/);
  assert.ok(listed(r.stderr).includes('petition-put'), 'lists the commands');
  assert.equal(r.stdout, '');
  const h = await compa(dir, ['help', 'nope']);
  assert.equal(h.code, 64);
  assert.match(h.stderr, /unknown command "nope"/);
  const o = await compa(dir, ['--bogus']);
  assert.equal(o.code, 64);
  assert.match(o.stderr, /unknown option "--bogus"/);
});

test('a wrong option exits 64 with one line naming it', async (t) => {
  const dir = await tmp(t);
  const cases: [string[], RegExp][] = [
    [['petitions', '--bogus'], /^compa petitions: unknown option --bogus \(see compa petitions --help\)$/],
    [['migrate', '-x'], /^compa migrate: unknown option -x /],
    [['serve', '--port', '1'], /^compa serve: unknown option --port /],
    [['registrations', '--webinar'], /^compa registrations: option --webinar needs a value /],
    [['action-links', '--petition', '--page', 'https://example.org/'], /^compa action-links: option --petition needs a value /],
    [['webinars', 'extra'], /^compa webinars: unexpected argument "extra" /],
    [['webinar-put', 'a.json', 'b.json'], /^compa webinar-put: unexpected argument "b.json" /],
    [['story-withdraw', 'an-id', '--when', 'now'], /^compa story-withdraw: unknown option --when /],
    [['registration-approve', '--webinar', 'w', '--nmae', 'x'], /^compa registration-approve: unknown option --nmae /],
  ];
  const results = await inBatches(cases, ([args]) => compa(dir, args));
  for (const [i, [args, message]] of cases.entries()) {
    const r = results[i]!;
    assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.match(r.stderr.trim(), message);
  }
  // A missing argument gives the command's usage.
  const missing = await compa(dir, ['petition-put']);
  assert.equal(missing.code, 64);
  assert.match(missing.stderr, /^usage: compa petition-put FILE\.json/);
  assert.ok(!existsSync(join(dir, 'c.db')), 'a wrong command line opens no database');
});

test('a bad COMPA_* variable exits 78, naming it', async (t) => {
  const dir = await tmp(t);
  for (const args of [['migrate'], ['petitions'], ['serve']]) {
    const r = await compa(dir, args, { COMPA_PORT: 'abc' });
    assert.equal(r.code, 78, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /COMPA_PORT/);
  }
  const typo = await compa(dir, ['webinars'], { COMPA_DATABSE_URL: 'sqlite:x.db' });
  assert.equal(typo.code, 78);
  assert.match(typo.stderr, /COMPA_DATABSE_URL: unknown setting/);
});

test('migrate creates the database and prints the migrations applied; run again it is up to date; no demo content', async (t) => {
  const dir = await tmp(t);
  // COMPA_DEMO=true: migrate still seeds nothing.
  const first = await compa(dir, ['migrate'], { COMPA_DEMO: 'true', COMPA_DATABASE_URL: `sqlite:${join(dir, 'data', 'c.db')}` });
  assert.equal(first.code, 0, first.stderr);
  const lines = first.stdout.trim().split('\n');
  assert.equal(lines[0], 'applied 0001-initial');
  assert.ok(lines.includes('applied 0005-stories'), first.stdout);
  assert.match(lines.at(-1)!, /^database migrated: \d+ migration\(s\) applied$/);
  // Like the server's first start, it makes the keys of supporters' data when none are configured, and says so.
  assert.match(first.stderr, /^generated the keys of supporters' data in .*compa-keys/);

  const db = new DatabaseSync(join(dir, 'data', 'c.db'));
  t.after(() => db.close());
  const tables = new Set(db.prepare("select name from sqlite_master where type = 'table'").all().map((r) => r.name as string));
  for (const table of TABLES) assert.ok(tables.has(table), `has table ${table}`);
  const applied = db.prepare('select name from kysely_migration order by name').all().map((r) => r.name as string);
  assert.deepEqual(applied, lines.slice(0, -1).map((l) => l.replace('applied ', '')));
  for (const table of ['newsletter_lists', 'petitions', 'webinars', 'stories', 'jobs']) {
    assert.equal((db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n, 0, `no demo ${table}`);
  }

  const again = await compa(dir, ['migrate'], { COMPA_DATABASE_URL: `sqlite:${join(dir, 'data', 'c.db')}` });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, 'database up to date\n');
  assert.equal(again.stderr, '');
});


test('serve answers on its port and stops cleanly on SIGTERM with exit 0', async (t) => {
  const dir = await tmp(t);
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: dir,
    env: envFor(dir, { COMPA_HOST: '127.0.0.1', COMPA_PORT: String(port), COMPA_DIST_DIR: join(dir, 'dist') }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) assert.fail(`serve exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
      break;
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err;
      if (Date.now() > deadline) assert.fail(`no health answer within 20 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  assert.ok(existsSync(join(dir, 'c.db')), 'the database was created');

  child.kill('SIGTERM');
  const { code, signal } = await exited;
  assert.equal(signal, null, output);
  assert.equal(code, 0, output);
});

test('a command run where there is no database refuses (78) instead of creating one; commands never seed demo content', async (t) => {
  const dir = await tmp(t);
  const missing = await compa(dir, ['petitions']);
  assert.equal(missing.code, 78, missing.stderr);
  assert.match(missing.stderr, /COMPA_DATABASE_URL: no database at .*c\.db/);
  assert.ok(!existsSync(join(dir, 'c.db')), 'no database was created');
  assert.ok(!existsSync(join(dir, 'compa-keys.env')), 'no keys were made');

  assert.equal((await compa(dir, ['migrate'])).code, 0);
  // COMPA_DEMO left at its default (true), as in a shell without the service's variables.
  const listed = await compa(dir, ['petitions'], { COMPA_DEMO: '' });
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout.trim().split('\n').length, 1, 'only the header: no demo petition was published');
});
