/**
 * `npm run bench`: one run, one process tree, same machine. Measures a bare Fastify JSON route (the
 * baseline), then Compa's endpoints, and prints each as a ratio of the baseline's throughput with p50/p99.
 * Compare ratios, not absolute numbers: machines differ, and this one may be shared and noisy.
 *
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=50 npm run bench
 */
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { freePort, startServer, ROOT } from '../test/support/server.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

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
  },
  dir,
).catch((err) => {
  bare.kill('SIGTERM');
  throw err;
});

const rows: Row[] = [];
try {
  // Warm-up, then the baseline.
  await measure('warm-up', { url: `http://127.0.0.1:${barePort}/bare`, duration: 1 });
  const baseline = await measure('bare Fastify JSON route (baseline)', { url: `http://127.0.0.1:${barePort}/bare` });
  rows.push(baseline);
  rows.push(await measure('GET /api/v1/health', { url: `${compa.url}/api/v1/health` }));
  rows.push(await measure('GET /api/v1/lists?locale=es', { url: `${compa.url}/api/v1/lists?locale=es` }));
  rows.push(
    await measure('POST /api/v1/subscriptions (durable, FULL sync)', {
      url: `${compa.url}/api/v1/subscriptions`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      idReplacement: true,
      body: JSON.stringify({
        email: 'bench-[<id>]@example.org',
        lists: ['weekly-bulletin'],
        locale: 'es',
        consent: true,
        consentText: 'I agree',
      }),
    }),
  );
  const base = baseline.rps;
  console.log(`\nCompa benchmark: ${connections} connections, ${seconds} s each, Node ${process.version}\n`);
  console.log('| what | req/s | ratio to baseline | p50 ms | p99 ms | errors | non-2xx |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${Math.round(r.rps)} | ${(r.rps / base).toFixed(2)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} |`);
  }
} finally {
  bare.kill('SIGTERM');
  await compa.stop();
  rmSync(dir, { recursive: true, force: true });
}
