/**
 * Countries for the petition form: ISO 3166-1 alpha-2 codes (plus `XK`, Kosovo, user-assigned but in common use),
 * named by the browser (`Intl.DisplayNames`) in the element's language and sorted for that language
 * (`Intl.Collator`). Nothing to translate: the browser knows every country's name.
 *
 * The codes are stored compactly: one group of second letters per first letter, A to Z
 * (`DEFGILMOQRSTUWXZ` → AD AE AF …).
 */
const CODES =
  'DEFGILMOQRSTUWXZ ABDEFGHIJLMNOQRSTVWYZ ACDFGHIKLMNORUVWXYZ EJKMOZ CEGHRST IJKMOR ABDEFGHILMNPQRSTUWY KMNRTU DELMNOQRST EMOP EGHIMNPRWYZ ABCIKRSTUVY ACDEFGHKLMNOPQRSTUVWXYZ ACEFGILOPRUZ M AEFGHKLMNRSTWY A EOSUW ABCDEGHIJKLMNORSTVXYZ CDFGHJKLMNORTVWZ AGMSYZ ACEGINU FS K ET AMW'
    .split(' ')
    .flatMap((group, i) => [...group].map((c) => String.fromCharCode(65 + i) + c));

/** Every code, e.g. for tests. */
export const COUNTRY_CODES: readonly string[] = CODES;

const cache = new Map<string, [code: string, name: string][]>();

/** `[code, name]` pairs sorted by name in `locale`. */
export function countries(locale: string): [code: string, name: string][] {
  let list = cache.get(locale);
  if (!list) {
    const names = new Intl.DisplayNames(locale, { type: 'region' });
    const collator = new Intl.Collator(locale);
    list = CODES.map((c): [string, string] => [c, names.of(c)!]).sort((a, b) => collator.compare(a[1], b[1]));
    cache.set(locale, list);
  }
  return list;
}

/** The region of the browser's first language that names one (`es-CO` → `CO`), if it is a known country. */
export function browserCountry(): string | undefined {
  for (const tag of navigator.languages) {
    try {
      const region = new Intl.Locale(tag).region;
      if (region && CODES.includes(region)) return region;
    } catch {
      /* not a valid tag */
    }
  }
  return undefined;
}
