/**
 * `npm test`: every check, in order, stopping at the first failure with its exit code.
 *
 *   npm test                      all stages
 *   npm test -- server widgets    only the named stages (in the usual order)
 *
 * A test stage whose files are missing fails (a suite that silently ran nothing would pass).
 * Prints each stage's name and duration, then a one-line summary. Finds Chrome/Chromium like `.ci/run`
 * (CHROME_PATH, else chromium, chromium-browser, google-chrome on PATH) and exports CHROME_PATH to the stages.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, globSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Stage {
  name: string;
  command: string[];
  /** Test files the stage runs: a warning is printed when none exist yet. */
  files?: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NODE = process.execPath;
/** A stage that runs longer than this is stuck (CI has 90 minutes for everything). */
const STAGE_TIMEOUT_MS = 20 * 60_000;

const STAGES: Stage[] = [
  { name: 'i18n:build', command: ['npm', 'run', '--silent', 'i18n:build'] },
  { name: 'typecheck', command: ['tsc', '--noEmit', '-p', 'tsconfig.json'] },
  { name: 'build', command: ['npm', 'run', '--silent', 'build:bundle'] },
  { name: 'size', command: [NODE, 'scripts/size-check.ts'] },
  { name: 'i18n', command: [NODE, '--test', 'test/i18n/**/*.test.ts'], files: 'test/i18n/**/*.test.ts' },
  {
    name: 'server',
    command: [NODE, '--test', '--test-concurrency=1', 'test/server/**/*.test.ts'],
    files: 'test/server/**/*.test.ts',
  },
  {
    name: 'widgets',
    command: ['web-test-runner', '--config', 'web-test-runner.config.ts'],
    files: 'test/widgets/**/*.test.ts',
  },
  {
    name: 'e2e',
    command: [NODE, '--test', '--test-concurrency=1', 'test/e2e/**/*.test.ts'],
    files: 'test/e2e/**/*.test.ts',
  },
];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** CHROME_PATH if it is executable, else the first of the usual names on PATH. */
function findChrome(): string | undefined {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  if (fromEnv) console.warn(`! CHROME_PATH=${fromEnv} is not an executable; looking on PATH`);
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Runs a command with inherited output; resolves to its exit code (1 if it was killed or could not start). */
/** Test counts read from the runners' own summaries (node:test `ℹ pass N`, web-test-runner `N passed, N failed`). */
const totals = { passed: 0, failed: 0 };
function count(output: string): void {
  const strip = output.replace(/\x1b\[[0-9;]*m/g, '');
  for (const m of strip.matchAll(/^ℹ pass (\d+)$/gm)) totals.passed += Number(m[1]);
  for (const m of strip.matchAll(/^ℹ fail (\d+)$/gm)) totals.failed += Number(m[1]);
  const wtr = [...strip.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  if (wtr && !/^ℹ pass/m.test(strip)) {
    totals.passed += Number(wtr[1]);
    totals.failed += Number(wtr[2]);
  }
}

function run(command: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const [file, ...args] = command;
    const child = spawn(file, args, { cwd: ROOT, env, stdio: ['inherit', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      output += chunk.toString();
    });
    const timer = setTimeout(() => {
      console.error(`\n! stage still running after ${seconds(STAGE_TIMEOUT_MS)}: stopping it`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, STAGE_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      console.error(`! could not start ${file}: ${error.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      count(output);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !STAGES.some((stage) => stage.name === name));
  if (unknown.length) {
    console.error(`unknown stage(s): ${unknown.join(', ')}; stages: ${STAGES.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const stages = wanted.length ? STAGES.filter((stage) => wanted.includes(stage.name)) : STAGES;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The project's binaries first, whether or not we were started by npm.
    PATH: [path.join(ROOT, 'node_modules', '.bin'), process.env.PATH].filter(Boolean).join(path.delimiter),
    STORYBOOK_DISABLE_TELEMETRY: '1',
  };
  const chrome = findChrome();
  if (chrome) {
    env.CHROME_PATH = chrome;
    console.log(`Chrome/Chromium: ${chrome}`);
  } else {
    console.warn('! No Chrome/Chromium found (set CHROME_PATH or `apt-get install -y chromium`): browser stages will fail');
  }

  const started = Date.now();
  const done: string[] = [];
  for (const stage of stages) {
    console.log(`\n━━━ ${stage.name}: ${stage.command.map((part) => (part === NODE ? 'node' : part)).join(' ')}`);
    const empty = stage.files !== undefined && globSync(stage.files, { cwd: ROOT }).length === 0;
    if (empty) {
      console.error(`━━━ ${stage.name}: FAILED: no test files match ${stage.files}`);
      return 1;
    }
    const stageStart = Date.now();
    const code = await run(stage.command, env);
    const took = seconds(Date.now() - stageStart);
    if (code !== 0) {
      console.error(`━━━ ${stage.name}: FAILED (exit ${code}) in ${took}`);
      const passed = done.length ? `; passed: ${done.join(', ')}` : '';
      console.error(`\nnpm test: FAILED at ${stage.name} (exit ${code}) after ${seconds(Date.now() - started)}${passed}`);
      return code;
    }
    console.log(`━━━ ${stage.name}: ok in ${took}`);
    done.push(`${stage.name} ${took}`);
  }
  console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed`);
  console.log(`npm test: ${done.length}/${stages.length} stages passed in ${seconds(Date.now() - started)} (${done.join(', ')})`);
  return 0;
}

process.exitCode = await main();
