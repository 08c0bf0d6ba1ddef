/**
 * `npm run bench`: one run, one process tree, same machine. Measures a bare Fastify JSON route (the
 * baseline) and Compa's endpoints in alternation, and prints each as a ratio of the baseline's throughput with
 * p50/p99, then the SSE fan-out. Compare ratios, not absolute numbers: machines differ, and this one may be
 * shared and noisy.
 *
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=50 BENCH_ROUNDS=3 BENCH_SSE_SUBSCRIBERS=2000 npm run bench
 */
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { freePort, startServer, ROOT } from '../test/support/server.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

const SLUG = 'protect-rio-verde-defenders';
const subscribers = Number(process.env.BENCH_SSE_SUBSCRIBERS ?? 2000);

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function measure(name: string, opts: autocannon.Options): Promise<Row> {
  const r = await autocannon({ connections, duration: seconds, ...opts });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

const barePort = await freePort();
const bare = spawn(process.execPath, [join(ROOT, 'bench/bare.ts')], { env: { ...process.env, PORT: String(barePort) }, stdio: 'inherit' });
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(`http://127.0.0.1:${barePort}/bare`)).ok) break;
  } catch {
    await new Promise((r) => setTimeout(r, 50));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'compa-bench-'));
const compa = await startServer(
  {
    COMPA_LOG_LEVEL: 'warn',
    COMPA_RATE_LIMIT_WRITE_MAX: '10000000',
    COMPA_RATE_LIMIT_READ_MAX: '10000000',
    // The load generator is one address: lift the per-address limits (this measures the server, not them).
    COMPA_SSE_MAX_STREAMS_PER_CLIENT: '1000000',
  },
  dir,
).catch((err) => {
  bare.kill('SIGTERM');
  throw err;
});

/** Each endpoint is measured in rounds, each round right after a run of the baseline. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Result extends Row {
  /** Median over the rounds of (endpoint req/s ÷ the baseline's req/s just before it). */
  ratio: number;
}

const endpoints: { name: string; opts: autocannon.Options }[] = [
  { name: 'GET /api/v1/health', opts: { url: `${compa.url}/api/v1/health` } },
  { name: 'GET /api/v1/lists?locale=es', opts: { url: `${compa.url}/api/v1/lists?locale=es` } },
  {
    name: 'POST /api/v1/subscriptions (durable, FULL sync)',
    opts: {
      url: `${compa.url}/api/v1/subscriptions`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      idReplacement: true,
      body: JSON.stringify({ email: 'bench-[<id>]@example.org', lists: ['weekly-bulletin'], locale: 'es', consent: true, consentText: 'I agree' }),
    },
  },
  {
    name: 'POST /api/v1/petitions/:slug/signatures (durable, group commit)',
    opts: {
      url: `${compa.url}/api/v1/petitions/${SLUG}/signatures`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      idReplacement: true,
      body: JSON.stringify({ firstName: 'Ana', email: 'sign-[<id>]@example.org', country: 'CO', locale: 'es' }),
    },
  },
  { name: 'GET /api/v1/petitions/:slug/count', opts: { url: `${compa.url}/api/v1/petitions/${SLUG}/count` } },
];

try {
  await measure('warm-up', { url: `http://127.0.0.1:${barePort}/bare`, duration: 1 });
  const baselines: Row[] = [];
  const results: Result[] = [];
  // Baseline and endpoint alternate, so that both see the same moment of a shared, noisy machine; the ratio of
  // each pair is taken, and the median of the pairs reported.
  for (const e of endpoints) {
    const pairs: { base: Row; run: Row }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const base = await measure('bare Fastify JSON route (baseline)', { url: `http://127.0.0.1:${barePort}/bare` });
      baselines.push(base);
      pairs.push({ base, run: await measure(e.name, e.opts) });
    }
    const ratios = pairs.map((p) => p.run.rps / p.base.rps);
    const mid = pairs[ratios.indexOf(median(ratios))]!.run;
    results.push({
      ...mid,
      rps: median(pairs.map((p) => p.run.rps)),
      p99: Math.max(...pairs.map((p) => p.run.p99)),
      errors: pairs.reduce((n, p) => n + p.run.errors, 0),
      non2xx: pairs.reduce((n, p) => n + p.run.non2xx, 0),
      ratio: median(ratios),
    });
  }
  const fanout = await sseFanout(compa.url, subscribers);

  console.log(`\nCompa benchmark: ${connections} connections, ${seconds} s per run, ${ROUNDS} rounds per endpoint, Node ${process.version}`);
  console.log(`Baseline (bare Fastify JSON route) runs, req/s: ${baselines.map((b) => Math.round(b.rps)).join(', ')}`);
  console.log('Ratio: the median over the rounds of the endpoint\'s throughput ÷ the baseline measured just before it; p99: the worst round.\n');
  console.log('| what | req/s (median) | ratio to baseline | p50 ms | p99 ms | errors | non-2xx |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(`| bare Fastify JSON route (baseline) | ${Math.round(median(baselines.map((b) => b.rps)))} | 1.00 | ${median(baselines.map((b) => b.p50))} | ${Math.max(...baselines.map((b) => b.p99))} | 0 | 0 |`);
  for (const r of results) {
    console.log(`| ${r.name} | ${Math.round(r.rps)} | ${r.ratio.toFixed(2)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} |`);
  }
  console.log(
    `\nSSE fan-out: ${fanout.connected}/${subscribers} streams open; after one signature, ${fanout.received} saw the new count ` +
      `(p50 ${fanout.p50} ms, p99 ${fanout.p99} ms, slowest ${fanout.max} ms): ${fanout.received === subscribers && fanout.max < 1000 ? 'all within 1 s' : 'NOT all within 1 s'}`,
  );
  const sign = results.find((r) => r.name.startsWith('POST /api/v1/petitions'))!;
  const count = results.find((r) => r.name.startsWith('GET /api/v1/petitions'))!;
  console.log('\nTargets:');
  console.log(`- signing ≥ 0.25 of baseline with p99 < 50 ms: ${sign.ratio.toFixed(2)}, p99 ${sign.p99} ms → ${sign.ratio >= 0.25 && sign.p99 < 50 ? 'met' : 'NOT met'}`);
  console.log(`- count ≥ 0.80 of baseline: ${count.ratio.toFixed(2)} → ${count.ratio >= 0.8 ? 'met' : 'NOT met'}`);
  console.log(`- ${subscribers} SSE subscribers see a new count within 1 s: ${fanout.received === subscribers && fanout.max < 1000 ? 'met' : 'NOT met'}`);
} finally {
  bare.kill('SIGTERM');
  await compa.stop();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Opens `n` Server-Sent Events streams on the petition, signs once, and measures how long each stream takes to
 * see a count at least as high as the one the signature returned.
 */
async function sseFanout(base: string, n: number) {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const url = new URL(`${base}/api/v1/petitions/${SLUG}/events`);
  const streams: { latest: number; seenAt: number | null; close: () => void }[] = [];
  let target = Infinity;
  let t0 = 0;
  await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<void>((resolve) => {
        const s = { latest: -1, seenAt: null as number | null, close: () => {} };
        const req = httpRequest({ hostname: url.hostname, port: url.port, path: url.pathname, agent, headers: { accept: 'text/event-stream' } }, (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            return resolve();
          }
          streams.push(s);
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            let i;
            while ((i = buf.indexOf('\n\n')) >= 0) {
              const frame = buf.slice(0, i);
              buf = buf.slice(i + 2);
              const data = /^data: (.*)$/m.exec(frame);
              if (!data) continue;
              const { count } = JSON.parse(data[1]!) as { count: number };
              if (s.latest < 0) resolve(); // the first event: the stream is live
              s.latest = count;
              if (count >= target && s.seenAt === null) s.seenAt = performance.now() - t0;
            }
          });
        });
        req.on('error', () => resolve());
        s.close = () => req.destroy();
        req.end();
      }),
    ),
  );
  t0 = performance.now();
  const r = await fetch(`${base}/api/v1/petitions/${SLUG}/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ firstName: 'Ana', email: `fanout-${Date.now()}@example.org`, country: 'CO', locale: 'es' }),
  });
  target = ((await r.json()) as { count: number }).count;
  for (const s of streams) if (s.latest >= target && s.seenAt === null) s.seenAt = performance.now() - t0;
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline && streams.some((s) => s.seenAt === null)) await new Promise((res) => setTimeout(res, 20));
  const times = streams.map((s) => s.seenAt).filter((x): x is number => x !== null).sort((a, b) => a - b);
  for (const s of streams) s.close();
  agent.destroy();
  const pct = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor((times.length * p) / 100))] ?? NaN);
  return { connected: streams.length, received: times.length, p50: pct(50), p99: pct(99), max: Math.round(times.at(-1) ?? NaN) };
}
