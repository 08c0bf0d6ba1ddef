import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The server's messages (emails, pages), one JSON catalogue per language in `locales/server/`,
 * edited by translators without touching code. Keys starting with `@` are notes for translators.
 * Placeholders are `{name}`; values are HTML-escaped by the caller where they go into HTML.
 */
export type Catalogue = Record<string, string>;

export const SOURCE_LOCALE = 'en';

export class Messages {
  readonly locales: string[];
  readonly #catalogues: Map<string, Catalogue>;

  constructor(catalogues: Map<string, Catalogue>) {
    if (!catalogues.has(SOURCE_LOCALE)) throw new Error(`The server catalogue for "${SOURCE_LOCALE}" is missing`);
    this.#catalogues = catalogues;
    this.locales = [...catalogues.keys()].sort((a, b) => (a === SOURCE_LOCALE ? -1 : b === SOURCE_LOCALE ? 1 : a.localeCompare(b)));
  }

  static load(dir: string): Messages {
    const map = new Map<string, Catalogue>();
    for (const file of readdirSync(dir)) {
      const m = /^([a-z]{2,3}(?:-[A-Za-z0-9]+)*)\.json$/.exec(file);
      if (!m) continue;
      const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      const cat: Catalogue = {};
      for (const [k, v] of Object.entries(raw)) if (!k.startsWith('@') && typeof v === 'string') cat[k] = v;
      map.set(m[1]!, cat);
    }
    return new Messages(map);
  }

  /** The best supported locale for a language tag: exact, then its language (`es-CO` → `es`), then English. */
  resolve(tag: string | null | undefined): string {
    if (!tag) return SOURCE_LOCALE;
    const lower = tag.toLowerCase();
    const exact = this.locales.find((l) => l.toLowerCase() === lower);
    if (exact) return exact;
    const lang = lower.split('-')[0];
    return this.locales.find((l) => l.toLowerCase() === lang) ?? SOURCE_LOCALE;
  }

  /** The first supported language in an Accept-Language header, else English. */
  fromAcceptLanguage(header: string | undefined): string {
    if (!header) return SOURCE_LOCALE;
    const tags = header
      .split(',')
      .map((part) => {
        const [tag, ...params] = part.trim().split(';');
        const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())).find(Boolean);
        return { tag: tag ?? '', q: q ? Number(q[1]) : 1 };
      })
      .filter((t) => t.tag && t.tag !== '*' && t.q > 0)
      .sort((a, b) => b.q - a.q);
    for (const t of tags) {
      const r = this.resolve(t.tag);
      if (r !== SOURCE_LOCALE || t.tag.toLowerCase().startsWith(SOURCE_LOCALE)) return r;
    }
    return SOURCE_LOCALE;
  }

  t(locale: string, key: string, params: Record<string, string | number> = {}): string {
    const text = this.#catalogues.get(locale)?.[key] ?? this.#catalogues.get(SOURCE_LOCALE)?.[key];
    if (text === undefined) throw new Error(`Unknown message key "${key}"`);
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  }

  /** "A, B and C" in the given language. */
  list(locale: string, items: string[]): string {
    return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
  }
}

/**
 * Which of a content's own languages answers a requested tag: exact, then its primary language (`es-CO` → `es`),
 * else English, else the first it has; `fallback` when none matched. Matched against the content's languages, not
 * the server's: a petition or webinar may be published in a language the server's messages lack.
 */
export function pickLanguage(have: string[], tag: string | null | undefined): { locale: string; fallback: boolean } {
  const wanted = (tag ?? 'en').toLowerCase();
  const primary = wanted.split('-')[0]!;
  const match = have.find((l) => l.toLowerCase() === wanted) ?? have.find((l) => l.toLowerCase() === primary);
  return { locale: match ?? (have.includes('en') ? 'en' : have[0]!), fallback: match === undefined };
}
