/**
 * Per-widget locale chunks: a page downloads only the messages of the widgets it shows, in their languages.
 *
 * Proven on a fixture built in a temporary directory: the kit's real core and tooling (src/core, src/schemas,
 * lit-localize.json, vite.config.ts, scripts/locale-loaders.ts, scripts/size-check.ts) with two small widgets,
 * `alpha` and `beta`, and a core module with a message both use. `beta` also loads a part lazily. The fixture
 * goes through the real pipeline: `lit-localize extract` → translate → `lit-localize build` →
 * `scripts/locale-loaders.ts` → `vite build` → `scripts/size-check.ts`.
 * Then the project's own generated modules are checked: the split loses no message.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);

/** The fixture's messages (English source → the fixture's "translation" is `[<locale>] <source>`). */
const ALPHA = 'Alpha only: sign the pledge';
const BETA = 'Beta only: join the webinar';
const BETA_LAZY = 'Beta, loaded later: your seat is booked';
const CORE = 'Core: saved on this device';
/** Written in both widgets' own files (not in core): each widget's chunk must have it. */
const SHARED = 'Both widgets: first name';
const tr = (locale: string, text: string) => `[${locale}] ${text}`;

const files: Record<string, string> = {
  'src/core/fixture-note.ts': `import { msg } from './msg.ts';
export const note = () => msg('${CORE}');
`,
  // Used by alpha from the start and by beta's lazily loaded part: it must not live in alpha.js.
  'src/core/fixture-queue.ts': `export const queue: string[] = [];
export const enqueue = (s: string) => queue.push(s);
`,
  'src/widgets/alpha/compa-alpha.ts': `import '../../generated/locale-loaders/alpha.ts';
import { html } from 'lit';
import { enqueue } from '../../core/fixture-queue.ts';
import { CompaElement } from '../../core/compa-element.ts';
import { msg } from '../../core/msg.ts';
import { note } from '../../core/fixture-note.ts';
export class CompaAlpha extends CompaElement {
  override firstUpdated() {
    enqueue('alpha');
  }
  override render() {
    return html\`<p part="base">\${msg('${ALPHA}', { desc: 'alpha' })} \${msg('${SHARED}')} \${note()}</p>\`;
  }
}
CompaAlpha.define('compa-alpha');
`,
  'src/widgets/beta/compa-beta.ts': `import '../../generated/locale-loaders/beta.ts';
import { html } from 'lit';
import { CompaElement } from '../../core/compa-element.ts';
import { msg, str } from '../../core/msg.ts';
import { note } from '../../core/fixture-note.ts';
export class CompaBeta extends CompaElement {
  seats = 3;
  later = '';
  override connectedCallback() {
    super.connectedCallback();
    void import('./later.ts').then((m) => { this.later = m.later(); this.requestUpdate(); });
  }
  override render() {
    return html\`<p part="base">\${msg('${BETA}')} \${msg(str\`\${this.seats} seats left\`)} \${note()} \${this.later}</p>\`;
  }
}
CompaBeta.define('compa-beta');
`,
  'src/widgets/beta/later.ts': `import { msg } from '../../core/msg.ts';
import { enqueue } from '../../core/fixture-queue.ts';
export const later = () => (enqueue('beta'), msg('${BETA_LAZY}') + msg('${SHARED}'));
`,
  'src/entries/alpha.ts': `import '../widgets/alpha/compa-alpha.ts';\n`,
  'src/entries/beta.ts': `import '../widgets/beta/compa-beta.ts';\n`,
  'src/entries/compa.ts': `import '../widgets/alpha/compa-alpha.ts';\nimport '../widgets/beta/compa-beta.ts';\n`,
};

let dir: string;
const read = (path: string) => readFileSync(join(dir, path), 'utf8');
const run = (command: string, args: string[]) =>
  execFileSync(command, args, { cwd: dir, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
/** The built chunk of a widget and locale (`dist/chunks/<widget>.<locale>-<hash>.js`). */
const chunk = (widget: string, locale: string): string => {
  const name = readdirSync(join(dir, 'dist/chunks')).find((f) => f.startsWith(`${widget}.${locale}-`) && f.endsWith('.js'));
  assert.ok(name, `dist/chunks/${widget}.${locale}-<hash>.js exists`);
  return read(`dist/chunks/${name}`);
};
const imports = (code: string) => [...code.matchAll(/(?:import|from)\s*["'`]([^"'`]+)["'`]/g)].map((m) => m[1]!).sort();

describe('per-widget locale chunks (fixture: widgets alpha and beta)', { timeout: 180_000 }, () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'compa-split-'));
    for (const path of ['lit-localize.json', 'tsconfig.json', 'vite.config.ts', 'scripts/locale-loaders.ts', 'scripts/size-check.ts', 'src/core', 'src/schemas']) {
      cpSync(join(root, path), join(dir, path), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}\n');
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const config = JSON.parse(read('lit-localize.json')) as { targetLocales: string[]; interchange: { xliffDir: string } };
    config.targetLocales = ['es', 'fr'];
    writeFileSync(join(dir, 'lit-localize.json'), JSON.stringify(config, null, 2));
    run(bin('lit-localize'), ['extract']);
    // The translators' part: every <target> filled in.
    for (const locale of config.targetLocales) {
      const file = join(dir, config.interchange.xliffDir, `${locale}.xlf`);
      const xlf = readFileSync(file, 'utf8').replace(
        /<source>([\s\S]*?)<\/source>/g,
        (_m, source: string) => `<source>${source}</source><target>[${locale}] ${source}</target>`,
      );
      writeFileSync(file, xlf);
    }
    run(bin('lit-localize'), ['build']);
    run(process.execPath, ['scripts/locale-loaders.ts']);
    run(bin('vite'), ['build', '--logLevel', 'warn']);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('each widget gets the messages of its own code (lazy parts and core included), none of another’s', () => {
    for (const locale of ['es', 'fr']) {
      const alpha = read(`src/generated/locales/alpha/${locale}.ts`);
      const beta = read(`src/generated/locales/beta/${locale}.ts`);
      assert.ok(alpha.includes(tr(locale, ALPHA)), `alpha/${locale}.ts has alpha's message`);
      assert.ok(alpha.includes(tr(locale, CORE)), `alpha/${locale}.ts has the core message`);
      assert.ok(alpha.includes(tr(locale, SHARED)) && beta.includes(tr(locale, SHARED)), `a message written in both widgets is in both chunks (${locale})`);
      assert.ok(!alpha.includes(tr(locale, BETA)) && !alpha.includes(tr(locale, BETA_LAZY)), `alpha/${locale}.ts has none of beta's`);
      for (const text of [BETA, BETA_LAZY, CORE, 'seats left']) assert.ok(beta.includes(text), `beta/${locale}.ts has "${text}"`);
      assert.ok(!beta.includes(ALPHA), `beta/${locale}.ts has none of alpha's`);
    }
    for (const w of ['alpha', 'beta']) {
      const loaders = read(`src/generated/locale-loaders/${w}.ts`);
      for (const l of ['es', 'fr']) assert.ok(loaders.includes(`../locales/${w}/${l}.ts`), `loader ${w}/${l}`);
      assert.ok(!loaders.includes(w === 'alpha' ? 'beta' : 'alpha'), `${w}'s loaders only`);
    }
  });

  test('the build: one file per widget, one shared chunk, one lazy chunk per widget and locale', () => {
    const shared = readdirSync(join(dir, 'dist/chunks')).filter((f) => /^shared-[\w-]+\.js$/.test(f));
    assert.equal(shared.length, 1, 'one shared chunk (Lit + core)');
    assert.deepEqual(imports(read('dist/alpha.js')), [`./chunks/${shared[0]}`], 'alpha.js imports only the shared chunk');
    assert.ok(read('dist/alpha.js').includes('compa-alpha') && !read('dist/alpha.js').includes('compa-beta'));
    assert.ok(imports(read('dist/beta.js')).includes(`./chunks/${shared[0]}`), 'beta.js imports the shared chunk');
    for (const f of readdirSync(join(dir, 'dist/chunks')).filter((f) => f.endsWith('.js'))) {
      assert.ok(!/alpha\.js|beta\.js/.test(imports(read(`dist/chunks/${f}`)).join(' ')), `${f} loads no widget's file`);
    }
    assert.ok(!imports(read('dist/beta.js')).includes('./alpha.js'), 'beta.js never loads alpha.js');
    assert.deepEqual(imports(read('dist/compa.js')), ['./alpha.js', './beta.js'], 'compa.js loads both widgets');
    for (const locale of ['es', 'fr']) {
      const alpha = chunk('alpha', locale);
      const beta = chunk('beta', locale);
      assert.ok(alpha.includes(tr(locale, ALPHA)) && alpha.includes(tr(locale, CORE)), `alpha.${locale} chunk: alpha's and core's messages`);
      assert.ok(!alpha.includes(BETA) && !alpha.includes(BETA_LAZY), `alpha.${locale} chunk: none of beta's`);
      assert.ok(beta.includes(tr(locale, BETA)) && beta.includes(tr(locale, BETA_LAZY)) && !beta.includes(ALPHA), `beta.${locale} chunk`);
    }
    // Message ids are short ordinals in the bundle; the runtime does not hash templates.
    assert.doesNotMatch(read('dist/alpha.js') + chunk('alpha', 'es'), /[sh][0-9a-f]{16}/, 'no lit-localize hash ids left');
  });

  test('loadLocale loads only the messages of the widgets that ask for them', async () => {
    const locale = (await import(pathToFileURL(join(dir, 'src/core/locale.ts')).href)) as typeof import('../../src/core/locale.ts');
    const { msg } = (await import(pathToFileURL(join(dir, 'src/core/msg.ts')).href)) as typeof import('../../src/core/msg.ts');
    // What the widgets' tag files do first: register their loaders.
    for (const w of ['alpha', 'beta']) await import(pathToFileURL(join(dir, `src/generated/locale-loaders/${w}.ts`)).href);
    const say = (l: string, text: string) => locale.renderIn(l, () => msg(text) as string);
    // Elements pass themselves (CompaElement does): tag compa-<widget>.
    const alpha = { localName: 'compa-alpha' } as Element;
    const beta = { localName: 'compa-beta' } as Element;
    assert.equal(locale.isLocaleLoaded('es', alpha), false);
    await locale.loadLocale('es', alpha);
    assert.equal(locale.isLocaleLoaded('es', alpha), true);
    assert.equal(locale.isLocaleLoaded('es', 'beta'), false, 'beta’s chunk is not loaded');
    assert.equal(locale.isLocaleLoaded('es'), true, 'no widget given: the widgets on the page (alpha)');
    assert.equal(say('es', ALPHA), tr('es', ALPHA));
    assert.equal(say('es', CORE), tr('es', CORE));
    assert.equal(say('es', BETA), BETA, 'beta’s message stays in English until its chunk loads');
    assert.equal(say('fr', ALPHA), ALPHA, 'French is not loaded');
    await locale.loadLocale('es', beta);
    assert.equal(locale.isLocaleLoaded('es', 'beta'), true);
    assert.equal(say('es', BETA), tr('es', BETA));
    assert.equal(say('es', ALPHA), tr('es', ALPHA), 'the first widget’s messages stay');
    // No widget given: the widgets on the page (both now).
    assert.equal(locale.isLocaleLoaded('fr'), false);
    await locale.loadLocale('fr');
    assert.equal(locale.isLocaleLoaded('fr', 'alpha') && locale.isLocaleLoaded('fr', 'beta'), true);
    assert.equal(say('fr', BETA_LAZY), tr('fr', BETA_LAZY));
    assert.equal(say('fr', ALPHA), tr('fr', ALPHA));
  });

  test('size-check measures every widget and locale chunk, and fails on a missing one', () => {
    const out = run(process.execPath, ['scripts/size-check.ts']);
    for (const row of [/alpha\.js \+ static imports/, /beta\.js \+ static imports/, /compa\.js \+ static imports/, /alpha\s+es\s+chunks\/alpha\.es-/, /beta\s+fr\s+chunks\/beta\.fr-/]) {
      assert.match(out, row);
    }
    const fr = readdirSync(join(dir, 'dist/chunks')).find((f) => f.startsWith('beta.fr-'))!;
    rmSync(join(dir, 'dist/chunks', fr));
    assert.throws(
      () => run(process.execPath, ['scripts/size-check.ts']),
      (e: { status: number; stderr: string }) => e.status === 1 && /no lazily loaded chunk for beta × fr/.test(e.stderr),
    );
  });
});

describe('the project’s generated locale modules', () => {
  const config = JSON.parse(readFileSync(join(root, 'lit-localize.json'), 'utf8')) as {
    targetLocales: string[];
    output: { outputDir: string };
  };
  const out = join(root, config.output.outputDir);
  const ids = (file: string) => new Set([...readFileSync(file, 'utf8').matchAll(/^\s*'([^']+)':/gm)].map((m) => m[1]!));
  const widgets = readdirSync(join(root, 'src/widgets'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

  for (const locale of config.targetLocales) {
    test(`every ${locale} message is in the chunk of a widget that uses it`, () => {
      assert.ok(existsSync(join(out, `${locale}.ts`)), 'run `npm run i18n:build` first');
      const split = new Set(widgets.flatMap((w) => (existsSync(join(out, w, `${locale}.ts`)) ? [...ids(join(out, w, `${locale}.ts`))] : [])));
      const lost = [...ids(join(out, `${locale}.ts`))].filter((id) => !split.has(id));
      assert.deepEqual(lost, [], 'messages in no widget’s chunk (in a file no widget imports?)');
    });
  }
});
