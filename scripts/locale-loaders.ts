/**
 * Part of `npm run i18n:build`, after `lit-localize build`: splits the translations per widget, so that a page
 * downloads only the messages of the widgets it shows, in the languages they speak.
 *
 * `lit-localize build` writes `src/generated/locales/<locale>.ts`: every message of the kit in one `templates`
 * map. This script writes, for each widget (`src/widgets/<widget>/`) and each target locale of
 * lit-localize.json:
 *
 *   src/generated/locales/<widget>/<locale>.ts   the messages the widget can render (`templates`, same format)
 *   src/generated/locale-loaders/<widget>.ts     registers the widget's loaders (one lazy `import()` per locale);
 *                                                `src/widgets/<widget>/compa-<widget>.ts` imports it
 *
 * A widget's messages are those of every file its code imports (statically or lazily): the files of
 * `src/widgets/<widget>/`, its entry `src/entries/<widget>.ts`, and what they import (core included, so a
 * message in `src/core/` is in every widget's chunk: one request per widget and locale). Which file holds
 * which message comes from lit-localize's own analysis of the sources (the same ids as `lit-localize build`).
 * Vite turns each `import()` into a chunk located relative to the script itself, so adding a language to
 * lit-localize.json (and translating its XLIFF) needs no change in code, nor does adding a widget.
 *
 *   node scripts/locale-loaders.ts            (what `npm run i18n:build` runs)
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { readConfigFileAndWriteSchema } from '@lit/localize-tools/lib/config.js';
import { RuntimeLitLocalizer } from '@lit/localize-tools/lib/modes/runtime.js';
import { extractMessagesFromProgram } from '@lit/localize-tools/lib/program-analysis.js';
import { parseSync } from 'vite';

const root = resolve(import.meta.dirname, '..');
const config = readConfigFileAndWriteSchema(join(root, 'lit-localize.json'));
if (config.output.mode !== 'runtime') throw new Error('lit-localize.json: output.mode must be "runtime"');
const outputDir = config.resolve(config.output.outputDir);
const generated = dirname(outputDir); // src/generated
const widgetsDir = join(root, 'src/widgets');
const entriesDir = join(root, 'src/entries');

/** The widgets: one folder each in src/widgets/ (as vite.config.ts finds them). */
const widgets = readdirSync(widgetsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** Every message of the sources, with the file it is in (lit-localize's analysis, as `lit-localize build`). */
const localizer = new RuntimeLitLocalizer(config as ConstructorParameters<typeof RuntimeLitLocalizer>[0]);
const { errors } = localizer.extractSourceMessages();
if (errors.length) {
  console.error(`lit-localize found ${errors.length} error(s) in the sources: run \`lit-localize build\` to see them`);
  process.exit(1);
}
/**
 * Message ids by source file (absolute path). lit-localize de-duplicates the messages of the whole program by id
 * and keeps the first file only, so a message two widgets share ("First name") would land in one widget's
 * chunk. Analysing one source file at a time gives every file all of its messages.
 */
const idsByFile = new Map<string, Set<string>>();
const program = (localizer as unknown as { program: { getSourceFiles(): readonly { fileName: string }[] } }).program;
for (const sourceFile of program.getSourceFiles()) {
  const one = new Proxy(program, { get: (target, key) => (key === 'getSourceFiles' ? () => [sourceFile] : Reflect.get(target, key)) });
  for (const m of extractMessagesFromProgram(one as never).messages) {
    const file = resolve(m.file.fileName);
    (idsByFile.get(file) ?? idsByFile.set(file, new Set()).get(file)!).add(m.name);
  }
}

/** Relative imports of a source file (static, re-exports and literal dynamic imports), resolved. */
function importsOf(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const { module } = parseSync(file, code);
  const specs = [
    ...module.staticImports.map((i) => i.moduleRequest.value),
    ...module.staticExports.flatMap((e) => e.entries.map((x) => x.moduleRequest?.value)),
    ...module.dynamicImports.map((d) => /^(["'`])([^"'`$]*)\1$/.exec(code.slice(d.moduleRequest.start, d.moduleRequest.end))?.[2]),
  ];
  return specs.filter((s): s is string => !!s && s.startsWith('.')).map((s) => resolve(dirname(file), s));
}

/** The source files a widget's code can run: its folder, its entry, and everything they import (in src/). */
function filesOf(widget: string): Set<string> {
  const dir = join(widgetsDir, widget);
  const roots = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.[cm]?[jt]s$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
  const entry = join(entriesDir, `${widget}.ts`);
  if (existsSync(entry)) roots.push(entry);
  const seen = new Set<string>();
  const visit = (file: string): void => {
    // The generated locale modules hold translations, not messages of the sources.
    if (seen.has(file) || !file.startsWith(join(root, 'src') + '/') || file.startsWith(generated + '/') || !existsSync(file)) return;
    seen.add(file);
    importsOf(file).forEach(visit);
  };
  roots.forEach(visit);
  return seen;
}

interface Entry {
  /** The property as lit-localize wrote it (`'id': html\`…\`,`), without the trailing comma. */
  text: string;
  tag: 'html' | 'str' | undefined;
}

/** The `templates` of a module written by `lit-localize build`, by message id. */
function readTemplates(file: string): Map<string, Entry> {
  const code = readFileSync(file, 'utf8');
  const { program, errors: parseErrors } = parseSync(file, code);
  if (parseErrors.length) throw new Error(`${relative(root, file)}: ${parseErrors[0]!.message}`);
  type Node = { type: string; start: number; end: number; [k: string]: any };
  const decl = (program.body as Node[])
    .filter((n) => n.type === 'ExportNamedDeclaration' && n.declaration?.type === 'VariableDeclaration')
    .flatMap((n) => n.declaration.declarations as Node[])
    .find((d) => d.id.name === 'templates' && d.init?.type === 'ObjectExpression');
  if (!decl) throw new Error(`${relative(root, file)}: no \`export const templates = {…}\``);
  const out = new Map<string, Entry>();
  for (const p of decl.init.properties as Node[]) {
    const id = p.key.type === 'Literal' ? String(p.key.value) : p.key.name;
    const tag = p.value.type === 'TaggedTemplateExpression' ? p.value.tag.name : undefined;
    out.set(id, { text: code.slice(p.start, p.end), tag });
  }
  return out;
}

/** A locale module in lit-localize's format (`import {str} from '@lit/localize'` is aliased in vite.config.ts). */
function localeModule(widget: string, locale: string, entries: Entry[]): string {
  const tags = new Set(entries.map((e) => e.tag));
  return `// Generated by scripts/locale-loaders.ts from ${relative(root, join(outputDir, `${locale}.ts`))}: do not edit.
// The ${locale} messages of <compa-${widget}> (src/widgets/${widget}/ and what it imports).
${tags.has('html') ? "import {html} from 'lit';\n" : ''}${tags.has('str') ? "import {str} from '@lit/localize';\n" : ''}
export const templates = {
${entries.map((e) => `  ${e.text},`).join('\n')}
};
`;
}

// Start from a clean slate: a removed widget or language leaves no module behind.
for (const d of readdirSync(outputDir, { withFileTypes: true })) {
  if (d.isDirectory()) rmSync(join(outputDir, d.name), { recursive: true });
}

const loadersDir = join(generated, 'locale-loaders');
rmSync(loadersDir, { recursive: true, force: true });
rmSync(join(generated, 'locale-loaders.ts'), { force: true }); // the single map of earlier versions
mkdirSync(loadersDir, { recursive: true });

const templates = new Map(config.targetLocales.map((l) => [l, readTemplates(join(outputDir, `${l}.ts`))]));
const summary: string[] = [];
for (const widget of widgets) {
  const files = filesOf(widget);
  const ids = [...new Set([...files].flatMap((f) => [...(idsByFile.get(f) ?? [])]))].sort();
  const lines: string[] = [];
  if (ids.length) {
    mkdirSync(join(outputDir, widget), { recursive: true });
    for (const locale of config.targetLocales) {
      const all = templates.get(locale)!;
      const missing = ids.filter((id) => !all.has(id));
      if (missing.length) throw new Error(`${locale}.ts lacks messages of ${widget} (${missing.join(', ')}): run \`lit-localize build\` first`);
      writeFileSync(join(outputDir, widget, `${locale}.ts`), localeModule(widget, locale, ids.map((id) => all.get(id)!)));
      const path = relative(loadersDir, join(outputDir, widget, `${locale}.ts`));
      lines.push(`  ${JSON.stringify(locale)}: () => import('./${path}'),`);
    }
  }
  // One module per widget, imported by the file that registers its tag: a widget's bundle holds its own
  // loaders only, so adding a widget adds nothing to the chunk every widget shares.
  writeFileSync(
    join(loadersDir, `${widget}.ts`),
    `// Generated by scripts/locale-loaders.ts from lit-localize.json and the sources: do not edit.
// The lazily loaded translations of <compa-${widget}> (src/widgets/${widget}/), by locale.
import { addLocaleLoaders } from '${relative(loadersDir, join(root, 'src/core/locale.ts'))}';

addLocaleLoaders(${JSON.stringify(widget)}, {${lines.length ? `\n${lines.join('\n')}\n` : ''}});
`,
  );
  summary.push(`${widget} ${ids.length}`);
}

console.log(
  `wrote src/generated/locale-loaders/<widget>.ts and ${relative(root, outputDir)}/<widget>/<locale>.ts ` +
    `(messages per widget: ${summary.join(', ')}; locales: ${config.targetLocales.join(', ')})`,
);
