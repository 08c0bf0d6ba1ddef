/**
 * Gzip budgets of the built widget bundles. Run after `vite build`: `node scripts/size-check.ts`.
 *
 * For each entry in dist/ (every `dist/*.js`) it follows the STATIC imports of the built files recursively
 * (what a browser must download before the element can render) and sums their gzip sizes; lazily imported
 * chunks (the locales) are measured on their own.
 *
 *   dist/<widget>.js + static imports  ≤ 12 KB gzip   (one per widget of src/widgets/, shared chunks included)
 *   dist/compa.js + static imports     ≤ 25 KB gzip   (the whole kit)
 *   each locale chunk                  ≤  2 KB gzip   (one per widget and target locale: chunks/<widget>.<locale>-<hash>.js)
 *
 * Exit code 1 when a budget is exceeded, a widget has no entry, a widget with messages lacks the lazily loaded
 * chunk of a target locale (or its entry can't reach it), a widget's file loads another widget's entry (statically
 * or lazily), a built file imports a missing one, or the output is not minified. Other lazy chunks (a widget's
 * lazily loaded parts) are listed without a budget of their own.
 * KB = 1024 bytes; gzip at level 9 (what servers' static gzip and CDNs typically serve, or better).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseSync } from 'vite';

const KB = 1024;
const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const KIT_BUDGET = 25 * KB;
const WIDGET_BUDGET = 12 * KB;
const LOCALE_BUDGET = 2 * KB;
const config = JSON.parse(readFileSync(join(root, 'lit-localize.json'), 'utf8')) as {
  targetLocales: string[];
  output: { outputDir: string };
};
const targetLocales = config.targetLocales;
const widgets = readdirSync(join(root, 'src/widgets'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/**
 * Whether a widget has messages to translate: its generated locale modules (scripts/locale-loaders.ts), or a
 * `msg(` in its sources (so that a generator writing nothing fails here too).
 */
function hasMessages(widget: string): boolean {
  if (existsSync(join(root, config.output.outputDir, widget))) return true;
  const dir = join(root, 'src/widgets', widget);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some(
    (f) => f.endsWith('.ts') && /\bmsg\(/.test(readFileSync(join(dir, f), 'utf8')),
  );
}

interface Built {
  raw: number;
  gzip: number;
  staticImports: string[];
  dynamicImports: string[];
  lines: number;
}

const cache = new Map<string, Built>();

/** Size and imports of one built file (absolute path). Only relative specifiers are followed. */
function inspect(file: string): Built {
  let built = cache.get(file);
  if (built) return built;
  const code = readFileSync(file, 'utf8');
  const { module } = parseSync(file, code);
  const local = (spec: string | undefined): string[] => (spec?.startsWith('.') ? [resolve(dirname(file), spec)] : []);
  built = {
    raw: Buffer.byteLength(code),
    gzip: gzipSync(code, { level: 9 }).length,
    staticImports: [
      ...module.staticImports.flatMap((i) => local(i.moduleRequest.value)),
      ...module.staticExports.flatMap((e) => e.entries.flatMap((x) => local(x.moduleRequest?.value ?? undefined))),
    ],
    dynamicImports: module.dynamicImports.flatMap((d) => {
      const literal = /^(["'`])([^"'`$]*)\1$/.exec(code.slice(d.moduleRequest.start, d.moduleRequest.end));
      return local(literal?.[2]);
    }),
    lines: code.split('\n').length,
  };
  cache.set(file, built);
  return built;
}

/** Built files that are imported but missing. */
const missing = new Set<string>();

/** The file and everything it imports statically, transitively, each once (missing files are left out). */
function staticGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || missing.has(file)) return;
    if (!existsSync(file)) return void missing.add(file);
    seen.add(file);
    inspect(file).staticImports.forEach(visit);
  };
  visit(entry);
  return [...seen];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const kb = (n: number) => `${(n / KB).toFixed(2)} KB`;
const failures: string[] = [];

/** Prints rows as a table: sizes right-aligned, the rest left-aligned. */
function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = header.map((h) => ['raw', 'gzip', 'budget'].includes(h));
  const line = (r: string[]) =>
    header.map((_, i) => (right[i] ? (r[i] ?? '').padStart(widths[i]!) : (r[i] ?? '').padEnd(widths[i]!))).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => console.log(line(r)));
}

const entries = existsSync(dist) ? readdirSync(dist).filter((f) => f.endsWith('.js')) : [];
for (const required of ['compa.js', ...widgets.map((w) => `${w}.js`)]) {
  if (!entries.includes(required)) failures.push(`dist/${required} is missing: run \`npm run build\` first`);
}

// 1. Entries: what a page downloads before the element renders.
const entryRows: string[][] = [];
/** Lazily imported chunks each entry can load (transitively, with their static imports). */
const lazyOf = new Map<string, Set<string>>();
const order = (a: string, b: string) => (a === 'compa.js' ? 1 : b === 'compa.js' ? -1 : a.localeCompare(b));
for (const name of entries.sort(order)) {
  const kit = name === 'compa.js';
  const budget = kit ? KIT_BUDGET : WIDGET_BUDGET;
  const graph = staticGraph(join(dist, name));
  const gzip = graph.reduce((sum, f) => sum + inspect(f).gzip, 0);
  const raw = graph.reduce((sum, f) => sum + inspect(f).raw, 0);
  const ok = gzip <= budget;
  if (!ok) failures.push(`dist/${name} + static imports: ${kb(gzip)} gzip > ${kb(budget)}`);
  entryRows.push([`${name} + static imports${kit ? ' (kit)' : ''}`, kb(raw), kb(gzip), kb(budget), ok ? 'ok' : 'OVER']);
  for (const f of graph) entryRows.push([`  ${relative(dist, f)}`, kb(inspect(f).raw), kb(inspect(f).gzip)]);
  const loaded = new Set(graph);
  const lazy = new Set<string>();
  for (const f of loaded) {
    for (const d of inspect(f).dynamicImports) {
      lazy.add(d);
      staticGraph(d).forEach((g) => loaded.add(g)); // iterating a Set visits what is added meanwhile
    }
  }
  lazyOf.set(name, lazy);
  // A widget's file never loads another widget's entry (which would define that element and download its code).
  if (!kit) {
    const others = [...loaded].filter((f) => dirname(f) === dist && f !== join(dist, name));
    if (others.length) failures.push(`dist/${name} loads ${others.map((f) => relative(dist, f)).join(', ')}: another entry`);
  }
}
const allLazy = new Set([...lazyOf.values()].flatMap((s) => [...s]).filter((f) => !missing.has(f)));

// 2. Locale chunks: one per widget with messages and target locale, reachable from the widget's entry.
const localeRows: string[][] = [];
const localeChunks = new Set<string>();
for (const widget of widgets) {
  const messages = hasMessages(widget);
  for (const locale of targetLocales) {
    const name = `chunks/${widget}.${locale}-<hash>.js`;
    const pattern = new RegExp(`^chunks/${escape(widget)}\\.${escape(locale)}-[\\w-]+\\.js$`);
    const file = [...allLazy].find((f) => pattern.test(relative(dist, f)));
    if (!file) {
      if (messages) {
        failures.push(`no lazily loaded chunk for ${widget} × ${locale} (${name})`);
        localeRows.push([widget, locale, '(missing)', '', '', kb(LOCALE_BUDGET), 'MISSING']);
      }
      continue;
    }
    localeChunks.add(file);
    if (!lazyOf.get(`${widget}.js`)?.has(file)) failures.push(`dist/${widget}.js can't load ${relative(dist, file)}`);
    const b = inspect(file);
    const ok = b.gzip <= LOCALE_BUDGET;
    if (!ok) failures.push(`locale chunk ${relative(dist, file)}: ${kb(b.gzip)} gzip > ${kb(LOCALE_BUDGET)}`);
    localeRows.push([widget, locale, relative(dist, file), kb(b.raw), kb(b.gzip), kb(LOCALE_BUDGET), ok ? 'ok' : 'OVER']);
  }
}
// Any other lazily loaded chunk: listed, no budget of its own.
for (const file of [...allLazy].filter((f) => !localeChunks.has(f)).sort()) {
  localeRows.push(['(lazy part)', '', relative(dist, file), kb(inspect(file).raw), kb(inspect(file).gzip)]);
}

for (const file of missing) failures.push(`${relative(root, file)} is imported but missing`);

// Trap: Vite's library mode keeps whitespace in ES output unless the minifier is forced.
for (const [file, b] of cache) {
  if (b.raw > 2 * KB && b.raw / b.lines < 200) failures.push(`${relative(root, file)} does not look minified (${b.lines} lines)`);
}

table(['entry', 'raw', 'gzip', 'budget', ''], entryRows);
console.log();
table(['widget', 'locale', 'lazy chunk', 'raw', 'gzip', 'budget', ''], localeRows);

if (failures.length) {
  console.error(`\nSize check failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('\nAll size budgets met.');
