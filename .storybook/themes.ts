/**
 * Example themes for the Storybook toolbar, written only with the kit's public global tokens (`--compa-*`, see
 * `src/core/theme.ts`), exactly as an embedding page would. Colours meet WCAG 2.2 AA on their surface. System
 * fonts only: Compa never loads web fonts.
 */
export interface Theme {
  title: string;
  /** The page around the widget. */
  page: { background: string; color: string };
  tokens: Record<`--compa-${string}`, string>;
}

export const THEMES = {
  default: {
    title: 'Default (no page CSS)',
    page: { background: '#ffffff', color: '#1f2328' },
    tokens: {},
  },
  dark: {
    title: 'Dark',
    page: { background: '#16181d', color: '#e8eaed' },
    tokens: {
      '--compa-color-primary': '#8ab4ff',
      '--compa-color-on-primary': '#0b1b3d',
      '--compa-color-text': '#e8eaed',
      '--compa-color-muted': '#aab1bb',
      '--compa-color-surface': '#16181d',
      '--compa-color-border': '#8a929c',
      '--compa-color-danger': '#ffb4ab',
      '--compa-color-danger-surface': '#3b1412',
      '--compa-color-success': '#7ddc9a',
      '--compa-focus-ring-color': '#ffd54f',
    },
  },
  'high-contrast': {
    title: 'High contrast',
    page: { background: '#000000', color: '#ffffff' },
    tokens: {
      '--compa-color-primary': '#ffeb3b',
      '--compa-color-on-primary': '#000000',
      '--compa-color-text': '#ffffff',
      '--compa-color-muted': '#ffffff',
      '--compa-color-surface': '#000000',
      '--compa-color-border': '#ffffff',
      '--compa-color-danger': '#ff9e9e',
      '--compa-color-danger-surface': '#000000',
      '--compa-color-success': '#9cff9c',
      '--compa-focus-ring-color': '#00e5ff',
    },
  },
  branded: {
    title: 'Branded (an organisation’s colours)',
    page: { background: '#fffaf3', color: '#2b1d16' },
    tokens: {
      '--compa-color-primary': '#8a1538',
      '--compa-color-on-primary': '#ffffff',
      '--compa-color-text': '#2b1d16',
      '--compa-color-muted': '#6b5a50',
      '--compa-color-surface': '#fffaf3',
      '--compa-color-border': '#8c7b70',
      '--compa-focus-ring-color': '#8a1538',
      '--compa-radius': '0',
      '--compa-font-family': 'Georgia, "Times New Roman", serif',
    },
  },
} satisfies Record<string, Theme>;

export type ThemeName = keyof typeof THEMES;

/** Inline style for the story wrapper: the page colours plus the theme's tokens. */
export function themeStyle(name: ThemeName): string {
  const theme: Theme = THEMES[name] ?? THEMES.default;
  const declarations = [
    `background:${theme.page.background}`,
    `color:${theme.page.color}`,
    'min-height:100vh',
    'padding:1.5rem',
    'box-sizing:border-box',
    ...Object.entries(theme.tokens).map(([name, value]) => `${name}:${value}`),
  ];
  return declarations.join(';');
}
