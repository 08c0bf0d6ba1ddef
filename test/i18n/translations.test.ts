/**
 * Translation completeness: every message of the widgets (XLIFF) and of the server (JSON catalogues)
 * has a non-empty translation in every target language, with the same placeholders.
 * A message added in code but not extracted into the XLIFF files fails too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const config = JSON.parse(readFileSync(join(root, 'lit-localize.json'), 'utf8')) as {
  sourceLocale: string;
  targetLocales: string[];
  interchange: { xliffDir: string };
};

interface Unit {
  id: string;
  source: string;
  target: string | null;
}

function units(xlf: string): Unit[] {
  const out: Unit[] = [];
  for (const m of xlf.matchAll(/<trans-unit\b[^>]*\bid="([^"]+)"[^>]*>([\s\S]*?)<\/trans-unit>/g)) {
    const body = m[2]!;
    const source = /<source>([\s\S]*?)<\/source>/.exec(body)?.[1] ?? '';
    const target = /<target[^>]*>([\s\S]*?)<\/target>/.exec(body)?.[1] ?? null;
    out.push({ id: m[1]!, source, target });
  }
  return out;
}

/** Placeholders in XLIFF (`<x id=.../>`, `<ph id=...>`) or in the server catalogues (`{name}`). */
function placeholders(text: string): string[] {
  const xliff = [...text.matchAll(/<(?:x|ph)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]!);
  const braces = [...text.replace(/<[^>]+>/g, '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return [...xliff, ...braces].sort();
}

const xliffDir = join(root, config.interchange.xliffDir);

test('the XLIFF files hold every message in the code (npm run i18n:extract was run)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compa-i18n-'));
  try {
    cpSync(xliffDir, join(dir, 'xlf'), { recursive: true, filter: (p) => !p.includes('/server') });
    const tmpConfig = join(root, `.lit-localize.check.${process.pid}.json`);
    writeFileSync(tmpConfig, JSON.stringify({ ...config, interchange: { ...config.interchange, xliffDir: join(dir, 'xlf') } }));
    try {
      execFileSync(join(root, 'node_modules/.bin/lit-localize'), ['extract', `--config=${tmpConfig}`], { cwd: root, stdio: 'pipe' });
    } finally {
      rmSync(tmpConfig, { force: true });
    }
    for (const locale of config.targetLocales) {
      const committed = units(readFileSync(join(xliffDir, `${locale}.xlf`), 'utf8')).map((u) => u.id).sort();
      const fromCode = units(readFileSync(join(dir, 'xlf', `${locale}.xlf`), 'utf8')).map((u) => u.id).sort();
      assert.deepEqual(committed, fromCode, `locales/${locale}.xlf is out of date with the code: run npm run i18n:extract and translate`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const locale of config.targetLocales) {
  test(`every widget message has a ${locale} translation with the same placeholders`, () => {
    const file = join(xliffDir, `${locale}.xlf`);
    assert.ok(existsSync(file), `missing ${file}`);
    const all = units(readFileSync(file, 'utf8'));
    assert.ok(all.length > 0, 'no messages found');
    const missing = all.filter((u) => !u.target || !u.target.trim()).map((u) => `${u.id}: ${u.source}`);
    assert.deepEqual(missing, [], `untranslated in ${locale}.xlf`);
    for (const u of all) {
      assert.deepEqual(placeholders(u.target!), placeholders(u.source), `${locale}.xlf ${u.id}: placeholders differ`);
    }
  });
}

const serverDir = join(xliffDir, 'server');
const catalogue = (locale: string) =>
  Object.fromEntries(
    Object.entries(JSON.parse(readFileSync(join(serverDir, `${locale}.json`), 'utf8')) as Record<string, unknown>).filter(
      ([k]) => !k.startsWith('@'),
    ),
  ) as Record<string, string>;

test('the server has a catalogue for exactly the widget languages', () => {
  const server = readdirSync(serverDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
  assert.deepEqual(server, [config.sourceLocale, ...config.targetLocales].sort());
});

for (const locale of config.targetLocales) {
  test(`every server message has a ${locale} translation with the same placeholders`, () => {
    const source = catalogue(config.sourceLocale);
    const target = catalogue(locale);
    const missing = Object.keys(source).filter((k) => !target[k]?.trim());
    assert.deepEqual(missing, [], `untranslated in locales/server/${locale}.json`);
    const extra = Object.keys(target).filter((k) => !(k in source));
    assert.deepEqual(extra, [], `keys in locales/server/${locale}.json that English does not have`);
    for (const k of Object.keys(source)) {
      assert.deepEqual(placeholders(target[k]!), placeholders(source[k]!), `${locale}.json "${k}": placeholders differ`);
    }
  });
}
