/**
 * Storybook 10 for the Compa widgets: every widget × state × locale, with the API mocked by the same
 * Mock Service Worker handlers as the widget tests (`test/mocks/handlers.ts`).
 *
 *   npm run storybook           dev server on :6006
 *   npm run build-storybook     static build in storybook-static/
 *
 * Privacy: no telemetry, no update checks, no request to any outside host (the API is mocked in the browser).
 */
import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  // The mock service worker (`npx msw init test/public`) must be served from the root to control the preview.
  staticDirs: [{ from: '../test/public', to: '/' }],
  core: {
    disableTelemetry: true,
    disableWhatsNewNotifications: true,
    enableCrashReports: false,
    disableProjectJson: true,
  },
  // msw-storybook-addon 3 is used through its CSF3 loader in preview.ts; it needs no manager addon.
  addons: [],
  async viteFinal(viteConfig) {
    // The project's vite.config.ts builds the widget library; Storybook builds an app from the same sources.
    if (viteConfig.build) {
      delete viteConfig.build.lib;
      viteConfig.build.chunkSizeWarningLimit = 4096;
    }
    // Storybook's web-components renderer imports `lit/directive-helpers.js`; unless it is pre-bundled with `lit`,
    // the dev server serves a second copy of lit-html ("Multiple versions of Lit loaded").
    viteConfig.optimizeDeps = {
      ...viteConfig.optimizeDeps,
      include: [...(viteConfig.optimizeDeps?.include ?? []), 'lit', 'lit/directive-helpers.js'],
    };
    return viteConfig;
  },
};

export default config;
