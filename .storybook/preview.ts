/**
 * Storybook preview: Mock Service Worker (the handlers shared with the widget tests) and global toolbars for
 * locale, theme and text direction, applied on a wrapper around every story.
 */
import { html } from 'lit';
import { setupWorker } from 'msw/browser';
import { mswLoader } from 'msw-storybook-addon/csf3';
import type { Decorator, Preview } from '@storybook/web-components-vite';
import { handlers } from '../test/mocks/handlers.ts';
import { refuseUnmocked } from '../test/mocks/browser.ts';
import { PENDING_PREFIX } from '../src/core/pending.ts';
import { THEMES, themeStyle, type ThemeName } from './themes.ts';

/**
 * msw-storybook-addon 3: the CSF3 loader is a factory and there is no `initialize()` any more. Our own setup
 * function because the addon's default one passes msw 2's `onUnhandledRequest`, which msw 3 ignores.
 * Initial handlers survive the reset between stories: the success scenario, then the refuse-everything-else guard.
 * `parameters.msw` of a story is prepended to them.
 */
const loader = mswLoader(async () => {
  const worker = setupWorker(...handlers, refuseUnmocked);
  await worker.start({
    quiet: true,
    // Relative to iframe.html, so a build served below a sub-path works too.
    serviceWorker: { url: './mockServiceWorker.js' },
    onUnhandledFrame: 'bypass',
  });
  return worker;
});

/** Signups queued on the device by an earlier story (offline) must not be re-sent in this one. */
async function forgetQueuedSignups(): Promise<Record<string, never>> {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(PENDING_PREFIX)) localStorage.removeItem(key);
  } catch {
    // Storage unavailable: nothing was kept.
  }
  return {};
}

const withGlobals: Decorator = (story, { globals }) => {
  const theme = (globals.theme ?? 'default') as ThemeName;
  return html`<div
    class="compa-story"
    lang=${globals.locale ?? 'en'}
    dir=${globals.dir ?? 'ltr'}
    data-theme=${theme}
    style=${themeStyle(theme)}
  >
    ${story()}
  </div>`;
};

const preview: Preview = {
  loaders: [forgetQueuedSignups, loader],
  decorators: [withGlobals],
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
  },
  globalTypes: {
    locale: {
      description: 'Language of the widget (sets `lang` around the story)',
      toolbar: {
        title: 'Locale',
        icon: 'globe',
        items: [
          { value: 'en', title: 'English', right: 'en' },
          { value: 'es', title: 'Español', right: 'es' },
          { value: 'fr', title: 'Français', right: 'fr' },
        ],
        dynamicTitle: true,
      },
    },
    theme: {
      description: 'Theme, through the global --compa-* custom properties',
      toolbar: {
        title: 'Theme',
        icon: 'paintbrush',
        items: Object.entries(THEMES).map(([value, { title }]) => ({ value, title })),
        dynamicTitle: true,
      },
    },
    dir: {
      description: 'Text direction (sets `dir` around the story)',
      toolbar: {
        title: 'Direction',
        icon: 'transfer',
        items: [
          { value: 'ltr', title: 'Left to right', icon: 'arrowright' },
          { value: 'rtl', title: 'Right to left', icon: 'arrowleft' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { locale: 'en', theme: 'default', dir: 'ltr' },
};

export default preview;
