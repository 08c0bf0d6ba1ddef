import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { fieldsFromZod } from './http/errors.ts';

/** A CSV cell that a spreadsheet will not run as a formula. */
export function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The organiser's JSON file (`petition-put`, `webinar-put`), checked against `schema`: the parsed value, or an exit
 * code after printing each mistake as `FILE: field.path: message` (64: no file given, 65: unreadable or invalid).
 */
export async function readFileAs<S extends z.ZodType>(file: string | undefined, schema: S, usage: string): Promise<z.output<S> | number> {
  if (!file) {
    console.error(usage);
    return 64;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    console.error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    return 65;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const [field, message] of Object.entries(fieldsFromZod(parsed.error, ''))) console.error(`${file}: ${field}: ${message}`);
    return 65;
  }
  return parsed.data;
}
