/**
 * Gzip budgets of the built widget bundles. Run after `vite build`: `node scripts/size-check.ts`.
 *
 * For each entry in dist/ (every `dist/*.js`) it follows the STATIC imports of the built files recursively
 * (what a browser must download before the element can render) and sums their gzip sizes; lazily imported
 * chunks (the locales) are measured on their own. Exit code 1 when a budget is exceeded, a locale has no
 * chunk, or the output is not minified.
 *
 *   dist/<widget>.js + static imports  ≤ 12 KB gzip   (dist/newsletter.js, and every widget added later)
 *   dist/compa.js + static imports     ≤ 25 KB gzip   (the whole kit)
 *   each locale chunk                  ≤  2 KB gzip
 *
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
const targetLocales: string[] = JSON.parse(readFileSync(join(root, 'lit-localize.json'), 'utf8')).targetLocales;

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

/** The file and everything it imports statically, transitively, each once. */
function staticGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    if (!existsSync(file)) throw new Error(`${relative(root, file)} is imported but missing`);
    seen.add(file);
    inspect(file).staticImports.forEach(visit);
  };
  visit(entry);
  return [...seen];
}

const kb = (n: number) => `${(n / KB).toFixed(2)} KB`;
const rows: string[][] = [];
const failures: string[] = [];
const lazy = new Set<string>();

const entries = existsSync(dist) ? readdirSync(dist).filter((f) => f.endsWith('.js')) : [];
for (const required of ['compa.js', 'newsletter.js']) {
  if (!entries.includes(required)) failures.push(`dist/${required} is missing: run \`npm run build\` first`);
}

for (const name of entries.sort((a, b) => (a === 'compa.js' ? 1 : b === 'compa.js' ? -1 : a.localeCompare(b)))) {
  const entry = join(dist, name);
  const budget = name === 'compa.js' ? KIT_BUDGET : WIDGET_BUDGET;
  const graph = staticGraph(entry);
  const total = graph.reduce((sum, f) => sum + inspect(f).gzip, 0);
  const raw = graph.reduce((sum, f) => sum + inspect(f).raw, 0);
  const ok = total <= budget;
  if (!ok) failures.push(`dist/${name} + static imports: ${kb(total)} gzip > ${kb(budget)}`);
  rows.push([`${name} + static imports`, kb(raw), kb(total), kb(budget), ok ? 'ok' : 'OVER']);
  for (const f of graph) {
    const b = inspect(f);
    rows.push([`  ${relative(dist, f)}`, kb(b.raw), kb(b.gzip), '', '']);
    b.dynamicImports.forEach((d) => lazy.add(d));
  }
}

for (const file of [...lazy].sort()) {
  const name = relative(dist, file);
  const b = inspect(file);
  const isLocale = targetLocales.some((l) => name.startsWith(`chunks/${l}-`));
  const ok = !isLocale || b.gzip <= LOCALE_BUDGET;
  if (!ok) failures.push(`locale chunk ${name}: ${kb(b.gzip)} gzip > ${kb(LOCALE_BUDGET)}`);
  rows.push([`${name} (lazy${isLocale ? ', locale' : ''})`, kb(b.raw), kb(b.gzip), isLocale ? kb(LOCALE_BUDGET) : '', ok ? 'ok' : 'OVER']);
}
for (const l of targetLocales) {
  if (![...lazy].some((f) => relative(dist, f).startsWith(`chunks/${l}-`))) failures.push(`no lazily loaded chunk for locale "${l}"`);
}

// Trap: Vite's library mode keeps whitespace in ES output unless the minifier is forced.
for (const [file, b] of cache) {
  if (b.raw > 2 * KB && b.raw / b.lines < 200) failures.push(`${relative(root, file)} does not look minified (${b.lines} lines)`);
}

const header = ['file', 'raw', 'gzip', 'budget', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
rows.forEach((r) => console.log(line(r)));

if (failures.length) {
  console.error(`\nSize check failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('\nAll size budgets met.');
