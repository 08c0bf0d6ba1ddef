/**
 * Starts Mock Service Worker in a browser test page (@web/test-runner), once per page.
 *
 *   import { useMockApi } from '../mocks/browser.ts';
 *   const api = await useMockApi();            // success scenario, state reset
 *   api.use(...scenarios.rateLimited());       // per-test override
 *
 * The worker script is `test/public/mockServiceWorker.js`, served at `/mockServiceWorker.js` by
 * web-test-runner.config.ts so that it controls the test page. A request that no handler knows, to the API or to
 * any other origin, fails like a network error: a widget test never reaches a real network.
 */
import { http, HttpResponse, passthrough } from 'msw';
import { setupWorker, type SetupWorker } from 'msw/browser';
import { handlers, resetMockState } from './handlers.ts';
import { petitionHandlers, resetPetitionState } from './petition-handlers.ts';
import { resetWebinarState, webinarHandlers } from './webinar-handlers.ts';
import { storyHandlers } from './story-handlers.ts';

/**
 * Last handler, kept by `resetHandlers()`: lets the page's own files (test runner, Storybook) through and refuses
 * everything else, so neither a test nor a story can reach the real network.
 * (msw 3's `onUnhandledFrame: 'error'` only logs in the browser; the request still goes out.)
 */
export const refuseUnmocked = http.all('*', ({ request }) => {
  const url = new URL(request.url);
  if (url.origin === location.origin && !url.pathname.startsWith('/api/')) return passthrough();
  console.error(`[mock API] no handler for ${request.method} ${request.url}: answered with a network error`);
  return HttpResponse.error();
});

let started: Promise<SetupWorker> | undefined;

async function start(): Promise<SetupWorker> {
  const worker = setupWorker(...handlers, ...petitionHandlers(), ...webinarHandlers(), ...storyHandlers(), refuseUnmocked);
  await worker.start({ quiet: true, serviceWorker: { url: '/mockServiceWorker.js' }, onUnhandledFrame: 'error' });
  return worker;
}

/**
 * Starts the worker on first use, then resets handlers to the success scenarios (newsletter, petition, webinar) and
 * clears the request log and the mock server's state.
 */
export async function useMockApi(): Promise<SetupWorker> {
  started ??= start();
  const worker = await started;
  worker.resetHandlers();
  resetMockState();
  resetPetitionState();
  resetWebinarState();
  return worker;
}
