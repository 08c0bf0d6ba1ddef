/**
 * @web/test-runner: the widget tests, in a real headless Chromium.
 *
 *   web-test-runner --config web-test-runner.config.ts            (what `npm test` runs)
 *   web-test-runner --config web-test-runner.config.ts --watch
 *
 * @web/test-runner 1.0 only looks for web-test-runner.config.{mjs,cjs,js} by itself, so the `.ts` file is passed with
 * `--config`; Node 24 loads it directly (type stripping). The generated locale modules in `src/generated/` must
 * exist first (`npm run i18n:build`; `npm test` does it).
 */
import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import type { TestRunnerConfig } from '@web/test-runner';

const MOCK_SERVICE_WORKER = '/test/public/mockServiceWorker.js';

function chromePath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (!found) {
    throw new Error('No Chrome/Chromium found: set CHROME_PATH (or `apt-get install -y chromium`).');
  }
  return found;
}

const config: TestRunnerConfig = {
  files: ['test/widgets/**/*.test.ts'],
  rootDir: '.',
  nodeResolve: {
    // msw's interceptors ship a Node build and a browser build: without `browser`, the Node one is served (trap 3).
    exportConditions: ['browser', 'development'],
    browser: true,
  },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  middleware: [
    // The mock service worker must be served from the root to control the test pages (scope `/`).
    function serveMockServiceWorker(context, next) {
      if (context.path === '/mockServiceWorker.js') context.url = MOCK_SERVICE_WORKER;
      return next();
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromePath(),
        headless: true,
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  // Lit's one-line dev-mode notice on every page is noise; its other dev-mode warnings stay (they catch bugs).
  filterBrowserLogs: ({ args }) => !(typeof args[0] === 'string' && args[0].startsWith('Lit is in dev mode')),
  // A noisy 2-core machine: one page at a time keeps timings honest; generous timeouts everywhere.
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 120_000,
  testsStartTimeout: 120_000,
  testsFinishTimeout: 300_000,
  testFramework: {
    config: { ui: 'bdd', timeout: 10_000 },
  },
};

export default config;
