/**
 * "A 2xx means the record is on disk", with the real server process (`node src/server/main.ts`): a burst of
 * signatures, `kill -9` in the middle of it, then the SQLite file is opened and every acknowledged signature
 * must be there, with the counter equal to the counted rows. After a restart on the same file, every request
 * that got no answer is retried with its own Idempotency-Key: each gets its 202, and the end state holds
 * exactly one signature per address (nothing lost, nothing counted twice).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openClearReaderAt } from './clear-view.ts';
import { removeDir, startServer, type RunningServer } from '../support/server.ts';
import { OPEN_PETITION, signature } from './helpers.ts';

interface Answer {
  status: number;
  body: string;
  replayed: boolean;
}

function post(port: number, agent: http.Agent, key: string, body: string): Promise<Answer | null> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1/petitions/${OPEN_PETITION}/signatures`,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': key },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve(res.complete ? { status: res.statusCode!, body: text, replayed: res.headers['idempotent-replayed'] === 'true' } : null));
        res.on('error', () => resolve(null));
        res.on('aborted', () => resolve(null));
      },
    );
    req.on('error', () => resolve(null)); // refused or reset: no answer
    req.end(body);
  });
}

function readDb<T>(path: string, fn: (db: DatabaseSync) => T): T {
  const db = openClearReaderAt(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

test('kill -9 during a burst of signatures loses no acknowledged one; retries with their keys finish the job without doubles', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'compa-crash-'));
  mkdirSync(join(dir, 'dist'));
  t.after(() => removeDir(dir));
  const env = { COMPA_RATE_LIMIT_WRITE_MAX: '1000000', COMPA_LOG_LEVEL: 'warn', COMPA_DIST_DIR: join(dir, 'dist') };
  const servers: RunningServer[] = [];
  t.after(async () => {
    for (const s of servers) await s.stop('SIGKILL');
  });

  const server = await startServer(env, dir);
  servers.push(server);
  // The page loaded the petition before the action went out.
  assert.equal((await fetch(`${server.url}/api/v1/petitions/${OPEN_PETITION}/count`)).status, 200);

  // 600 requests from 450 supporters: 150 of them sign twice (another device, another key).
  const N = 600;
  const PEOPLE = 450;
  const requests = Array.from({ length: N }, (_, i) => ({
    key: `crash-${i}`,
    email: `crash-${i % PEOPLE}@example.org`,
    body: JSON.stringify(signature({ email: `crash-${i % PEOPLE}@example.org`, firstName: `Supporter ${i % PEOPLE}` })),
  }));
  const KILL_AFTER = 150;
  const KILL_DELAY_MS = Number(process.env.CRASH_KILL_DELAY_MS ?? 2);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 24 });
  const answers = new Map<number, Answer>();
  let killedAt = -1;
  await Promise.all(
    requests.map(async (r, i) => {
      const a = await post(server.port, agent, r.key, r.body);
      if (a) answers.set(i, a);
      if (answers.size >= KILL_AFTER && killedAt < 0) {
        killedAt = answers.size;
        // A moment later, so that the kill lands anywhere in the server's cycle (even between a COMMIT and its answers).
        setTimeout(() => server.child.kill('SIGKILL'), KILL_DELAY_MS);
      }
    }),
  );
  agent.destroy();
  await server.stop('SIGKILL');
  assert.equal(server.child.signalCode, 'SIGKILL', 'the server was killed, not stopped');

  const acknowledged = [...answers].filter(([, a]) => a.status === 202);
  assert.equal(acknowledged.length, answers.size, `every answer before the kill was a 202: ${[...answers.values()].filter((a) => a.status !== 202).map((a) => a.body)[0]}`);
  assert.ok(acknowledged.length >= KILL_AFTER, `${acknowledged.length} acknowledged`);
  assert.ok(acknowledged.length < N, 'killed in the middle of the burst (some requests got no answer)');

  // On disk, right after the crash: every acknowledged signature and its stored answer; the counter is exact.
  const dbPath = join(dir, 'compa.db');
  readDb(dbPath, (db) => {
    const emails = new Set(db.prepare('select email from signatures').all().map((r) => String(r.email)));
    const keys = new Map(db.prepare('select key, body from idempotency_keys').all().map((r) => [String(r.key), String(r.body)]));
    for (const [i, a] of acknowledged) {
      assert.ok(emails.has(requests[i]!.email), `acknowledged signature ${i} (${requests[i]!.email}) is on disk`);
      assert.deepEqual(JSON.parse(keys.get(requests[i]!.key) ?? 'null'), JSON.parse(a.body), `its answer is stored with its key ${requests[i]!.key}`);
    }
    const counter = Number(db.prepare('select signature_count as n from petitions where slug = ?').get(OPEN_PETITION)!.n);
    const counted = Number(
      db.prepare(`select count(*) as n from signatures s join petitions p on p.id = s.petition_id where p.slug = ? and s.status = 'counted'`).get(OPEN_PETITION)!.n,
    );
    assert.equal(counter, counted, 'the counter equals the counted rows');
    assert.ok(counted >= new Set(acknowledged.map(([i]) => requests[i]!.email)).size);
  });
  const committedUnanswered = readDb(dbPath, (db) => {
    const keys = new Set(db.prepare('select key from idempotency_keys').all().map((r) => String(r.key)));
    return requests.filter((r, i) => !answers.has(i) && keys.has(r.key)).length;
  });
  t.diagnostic(`killed after ${killedAt} answers; ${answers.size} acknowledged, ${N - answers.size} unanswered, of which ${committedUnanswered} were committed`);

  // Restart on the same file; every client retries what got no answer, with the same key and body.
  const restarted = await startServer(env, dir);
  servers.push(restarted);
  const agent2 = new http.Agent({ keepAlive: true, maxSockets: 24 });
  t.after(() => agent2.destroy());
  const unanswered = requests.map((r, i) => ({ ...r, i })).filter((r) => !answers.has(r.i));
  const retries = await Promise.all(unanswered.map((r) => post(restarted.port, agent2, r.key, r.body)));
  let replays = 0;
  for (const [j, a] of retries.entries()) {
    assert.ok(a, `retry of ${unanswered[j]!.key} got an answer`);
    assert.equal(a.status, 202, a.body);
    assert.equal(JSON.parse(a.body).status, 'counted');
    if (a.replayed) replays++;
  }
  assert.equal(replays, committedUnanswered, 'a request committed before the crash gets its stored answer, not a second write');

  // A client that did get its answer and retries anyway (it could not know) gets the same answer back.
  for (const [i, a] of acknowledged.slice(0, 20)) {
    const again = await post(restarted.port, agent2, requests[i]!.key, requests[i]!.body);
    assert.equal(again?.status, 202);
    assert.equal(again.replayed, true);
    assert.deepEqual(JSON.parse(again.body), JSON.parse(a.body));
  }

  readDb(dbPath, (db) => {
    const rows = Number(db.prepare('select count(*) as n from signatures').get()!.n);
    assert.equal(rows, PEOPLE, 'one signature per supporter: nothing lost, nothing twice');
    assert.equal(Number(db.prepare('select signature_count as n from petitions where slug = ?').get(OPEN_PETITION)!.n), PEOPLE);
    assert.equal(Number(db.prepare('select count(*) as n from idempotency_keys').get()!.n), N, 'every request’s answer is stored');
    const perEmail = db.prepare('select email, count(*) as n from signatures group by email having n > 1').all();
    assert.deepEqual(perEmail, []);
  });
  await t.test(
    'the public count right after the retries',
    async () => {
      const count = (await (await fetch(`${restarted.url}/api/v1/petitions/${OPEN_PETITION}/count`)).json()) as { count: number };
      assert.equal(count.count, PEOPLE);
    },
  );
  assert.equal(await restarted.stop('SIGTERM'), 0, restarted.output());
});
