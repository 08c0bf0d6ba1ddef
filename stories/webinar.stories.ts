/**
 * `<compa-webinar>`: every state × English, Spanish and French, driven for real: the API is mocked by the
 * scenarios of `test/mocks/webinar-handlers.ts` (the same handlers as the widget tests, validated with the shared
 * zod schemas) and each story's `play` registers like a supporter would (typing, choosing, ticking), then checks
 * what the supporter sees, in the story's language.
 *
 * Each story gives the widget its own `api` base (`https://demo.compa.test/<story id>`, never reached: the mock
 * service worker answers) so that a registration queued by the offline stories is never re-sent inside another
 * story. Before every story the mock server's state (request log, registrations, idempotency keys) is reset.
 */
import { html, nothing } from 'lit';
import { http, type HttpHandler } from 'msw';
import { expect, fn, userEvent, waitFor } from 'storybook/test';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../src/widgets/webinar/compa-webinar.ts';
import type { CompaWebinar, WebinarState } from '../src/widgets/webinar/compa-webinar.ts';
import type { Webinar } from '../src/schemas/webinar.ts';
import { DEMO_ORGANISATION, DEMO_PRIVACY_POLICY_URL, errorResponse, record, requestLog, resetMockState } from '../test/mocks/handlers.ts';
import {
  DEMO_RECORDING_URL,
  DEMO_SERIES,
  DEMO_WEBINAR,
  DEMO_WEBINAR_TEXTS,
  WEBINAR_URL,
  acceptedRegistrations,
  resetWebinarState,
  webinarHandlers,
  webinarScenarios,
} from '../test/mocks/webinar-handlers.ts';
import { whileDeviceOffline } from '../test/mocks/device.ts';

interface WebinarArgs {
  /** The webinar's slug (ignored when `series` is set). */
  webinar: string;
  /** A series' slug: the list of its upcoming webinars. */
  series: string;
  /** `lang` of the element itself; empty: inherited from the story wrapper (the Locale toolbar). */
  lang: string;
  headingLevel: number;
  /** IANA time zone of the supporter; empty: the browser's. */
  timeZone: string;
  onCompaReady: (e: Event) => void;
  onCompaRegister: (e: Event) => void;
  onCompaError: (e: Event) => void;
  onCompaQueued: (e: Event) => void;
}

type Locale = 'en' | 'es' | 'fr';
type Story = StoryObj<WebinarArgs>;
type PlayContext = Parameters<NonNullable<Story['play']>>[0];
type BeforeEach = NonNullable<Story['beforeEach']>;

const STORY_TIMEOUT = 10_000;

/** The series' webinars, in the order the list shows them (by start): started, open, nearly full, full. */
const SERIES_SLUGS = ['talk-first-year', 'talk-lawyers', 'talk-digital-security', 'talk-peace-deal'];

/**
 * The time-zone story: Thursday 9 December 2027, 15:00–16:30 UTC, held in Bogotá (10:00, no daylight-saving time),
 * seen from Madrid (16:00, winter time). A fixed date, so the expectations are exact; the year is shown only when it
 * is not the current one.
 */
const TZ_TIMES = { start: '2027-12-09T15:00:00.000Z', end: '2027-12-09T16:30:00.000Z', timeZone: 'America/Bogota' } satisfies Partial<Webinar>;
const SUPPORTER_ZONE = 'Europe/Madrid';
const TZ_YEAR = new Date().getFullYear() !== 2027;

// ----------------------------------------------------------------------------------------------- expectations

/** Whitespace-normalised text (French uses U+202F before `:` and `?`; Intl uses thin spaces in ranges: `\s` covers them). */
const norm = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

/** What the supporter should read, per locale (from `locales/*.xlf` and the browser's `Intl`). */
const TEXT = {
  en: {
    webinar: 'Webinar',
    loading: 'Loading…',
    loadError: 'The webinar couldn’t load. Check your connection and try again.',
    notFound: 'This webinar doesn’t exist or is no longer online.',
    tryAgain: 'Try again',
    tryAgainNow: 'Try again now',
    register: 'Register',
    joinWaitlist: 'Join the waitlist',
    registering: 'Registering…',
    name: 'Name',
    email: 'Email address',
    optional: '(optional)',
    required: '(required)',
    speakers: 'Speakers',
    language: 'Language: Spanish Interpretation into English and French',
    consent: (org: string) => `I agree that ${org} uses my details to organise this webinar, and accept its privacy policy.`,
    privacyPolicy: 'privacy policy',
    newTab: '(opens in a new tab)',
    places: (n: string) => `Only ${n} places left`,
    place: (_n: string) => 'Only one place left',
    full: 'This webinar is full. You can join the waitlist: we’ll email you if a place frees up.',
    registered: 'Check your email: we’ve sent you the details of your registration. Not there in a few minutes? Check your spam folder.',
    registeredApproval:
      'Check your email: the organisers review each registration and will confirm by email whether you have a place.',
    registeredWaitlist:
      'Check your email: it says whether you have a place or are on the waitlist. If you are on the waitlist, we’ll write to you only if a place frees up.',
    nameMissing: 'Enter your name.',
    emailInvalid: 'Enter a valid email address, like name@example.org.',
    checkField: 'Please check this field.',
    answerMissing: 'Answer this question.',
    choiceMissing: 'Choose an answer.',
    boxMissing: 'Tick this box to continue.',
    consentMissing: 'To register, tick this box to agree.',
    closed: 'Registration is closed: this webinar has started. Registered? The link to join is in your email.',
    ended: 'This webinar has ended.',
    recording: 'Watch the recording',
    offline: 'We couldn’t send your registration yet. It’s saved on this device and will be sent as soon as possible.',
    error: 'Sorry, your registration was not sent. Please try again.',
    rateLimited: (when: string) => `Too many attempts. Please try again ${when}.`,
    upcoming: 'Upcoming webinars',
    noUpcoming: 'No upcoming webinars for now.',
    allWebinars: 'All webinars',
    statusOpen: 'Registration open',
    statusFull: 'Full: waitlist open',
    statusStarted: 'Started: registration closed',
    notTranslated: 'Not yet translated: shown in English.',
    /** The time-zone story's two times (see `TZ_TIMES`). */
    mine: `Thursday, December 9${TZ_YEAR ? ', 2027' : ''}, 4:00 – 5:30 PM Central European Standard Time`,
    theirs: '(10:00 – 11:30 AM Colombia Standard Time, local time of the event)',
  },
  es: {
    webinar: 'Webinario',
    loading: 'Cargando…',
    loadError: 'No se pudo cargar el webinario. Comprueba tu conexión e inténtalo de nuevo.',
    notFound: 'Este webinario no existe o ya no está en línea.',
    tryAgain: 'Intentar de nuevo',
    tryAgainNow: 'Intentar ahora',
    register: 'Inscribirme',
    joinWaitlist: 'Apuntarme a la lista de espera',
    registering: 'Enviando tu inscripción…',
    name: 'Nombre',
    email: 'Correo electrónico',
    optional: '(opcional)',
    required: '(obligatorio)',
    speakers: 'Ponentes',
    language: 'Idioma: español Interpretación al inglés y al francés',
    consent: (org: string) =>
      `Doy mi consentimiento para que ${org} use mis datos para organizar este webinario y acepto su política de privacidad.`,
    privacyPolicy: 'política de privacidad',
    newTab: '(se abre en una pestaña nueva)',
    places: (n: string) => `Solo quedan ${n} plazas`,
    place: (_n: string) => 'Solo queda una plaza',
    full: 'Este webinario está completo. Puedes apuntarte a la lista de espera: te escribiremos si se libera una plaza.',
    registered:
      'Revisa tu correo: te hemos enviado los detalles de tu inscripción. ¿No ha llegado en unos minutos? Mira en la carpeta de correo no deseado.',
    registeredApproval:
      'Revisa tu correo: el equipo organizador revisa cada inscripción y te confirmará por correo si tienes plaza.',
    registeredWaitlist:
      'Revisa tu correo: ahí te decimos si tienes plaza o si estás en la lista de espera. Si estás en la lista de espera, solo te escribiremos si se libera una plaza.',
    nameMissing: 'Escribe tu nombre.',
    emailInvalid: 'Escribe una dirección de correo válida, como nombre@ejemplo.org.',
    checkField: 'Revisa este campo.',
    answerMissing: 'Responde a esta pregunta.',
    choiceMissing: 'Elige una respuesta.',
    boxMissing: 'Marca esta casilla para continuar.',
    consentMissing: 'Para inscribirte, marca esta casilla y da tu consentimiento.',
    closed: 'Las inscripciones están cerradas: este webinario ya ha empezado. ¿Te inscribiste? El enlace para participar está en tu correo.',
    ended: 'Este webinario ha terminado.',
    recording: 'Ver la grabación',
    offline: 'Aún no hemos podido enviar tu inscripción. Está guardada en este dispositivo y se enviará lo antes posible.',
    error: 'Lo sentimos, tu inscripción no se ha enviado. Inténtalo de nuevo.',
    rateLimited: (when: string) => `Demasiados intentos. Vuelve a intentarlo ${when}.`,
    upcoming: 'Próximos webinarios',
    noUpcoming: 'Por ahora no hay próximos webinarios.',
    allWebinars: 'Todos los webinarios',
    statusOpen: 'Inscripciones abiertas',
    statusFull: 'Completo: lista de espera abierta',
    statusStarted: 'Ya empezó: inscripciones cerradas',
    notTranslated: 'Aún sin traducir: se muestra en inglés.',
    mine: `jueves, 9 de diciembre${TZ_YEAR ? ' de 2027' : ''}, 16:00–17:30 hora estándar de Europa central`,
    theirs: '(10:00–11:30 hora estándar de Colombia, hora local del evento)',
  },
  fr: {
    webinar: 'Webinaire',
    loading: 'Chargement…',
    loadError: 'Le webinaire n’a pas pu se charger. Vérifiez votre connexion et réessayez.',
    notFound: 'Ce webinaire n’existe pas ou n’est plus en ligne.',
    tryAgain: 'Réessayer',
    tryAgainNow: 'Réessayer maintenant',
    register: 'M’inscrire',
    joinWaitlist: 'M’inscrire sur la liste d’attente',
    registering: 'Inscription en cours…',
    name: 'Nom',
    email: 'Adresse e-mail',
    optional: '(facultatif)',
    required: '(obligatoire)',
    speakers: 'Intervenant·es',
    language: 'Langue : espagnol Interprétation en anglais et en français',
    consent: (org: string) =>
      `Je consens à ce que ${org} utilise mes données pour organiser ce webinaire et j’accepte sa politique de confidentialité.`,
    privacyPolicy: 'politique de confidentialité',
    newTab: '(s’ouvre dans un nouvel onglet)',
    places: (n: string) => `Il ne reste que ${n} places`,
    place: (_n: string) => 'Il ne reste qu’une place',
    full: 'Ce webinaire est complet. Vous pouvez vous inscrire sur la liste d’attente : nous vous écrirons si une place se libère.',
    registered:
      'Consultez vos e-mails : nous vous avons envoyé les détails de votre inscription. Toujours rien dans quelques minutes ? Vérifiez vos courriers indésirables.',
    registeredApproval:
      'Consultez vos e-mails : l’équipe organisatrice examine chaque inscription et vous confirmera par e-mail si vous avez une place.',
    registeredWaitlist:
      'Consultez vos e-mails : nous vous y indiquons si vous avez une place ou si vous êtes sur la liste d’attente. Dans ce cas, nous ne vous écrirons que si une place se libère.',
    nameMissing: 'Saisissez votre nom.',
    emailInvalid: 'Saisissez une adresse e-mail valide, par exemple nom@exemple.org.',
    checkField: 'Veuillez vérifier ce champ.',
    answerMissing: 'Répondez à cette question.',
    choiceMissing: 'Choisissez une réponse.',
    boxMissing: 'Cochez cette case pour continuer.',
    consentMissing: 'Pour vous inscrire, cochez cette case afin de donner votre accord.',
    closed: 'Les inscriptions sont closes : ce webinaire a commencé. Vous êtes inscrit·e ? Le lien pour participer se trouve dans votre e-mail.',
    ended: 'Ce webinaire est terminé.',
    recording: 'Voir l’enregistrement',
    offline: 'Nous n’avons pas encore pu envoyer votre inscription. Elle est enregistrée sur cet appareil et sera envoyée dès que possible.',
    error: 'Désolé, votre inscription n’a pas été envoyée. Veuillez réessayer.',
    rateLimited: (when: string) => `Trop de tentatives. Veuillez réessayer ${when}.`,
    upcoming: 'Prochains webinaires',
    noUpcoming: 'Aucun webinaire à venir pour le moment.',
    allWebinars: 'Tous les webinaires',
    statusOpen: 'Inscriptions ouvertes',
    statusFull: 'Complet : liste d’attente ouverte',
    statusStarted: 'Commencé : inscriptions closes',
    notTranslated: 'Pas encore traduit : affiché en anglais.',
    mine: `jeudi 9 décembre${TZ_YEAR ? ' 2027' : ''}, 16:00 – 17:30 heure normale d’Europe centrale`,
    theirs: '(10:00 – 11:30 heure normale de Colombie, heure locale de l’événement)',
  },
} satisfies Record<Locale, Record<string, string | ((value: string) => string)>>;

type Texts = (typeof TEXT)[Locale];

// ----------------------------------------------------------------------------------------------- play helpers

function widget(canvasElement: HTMLElement): CompaWebinar {
  const el = canvasElement.querySelector('compa-webinar');
  if (!el) throw new Error('<compa-webinar> is not rendered');
  return el;
}

/** The locale the story shows: the element's own `lang` argument, else the Locale toolbar's. */
function localeOf({ args, globals }: PlayContext): Locale {
  const tag = (args.lang || globals.locale || 'en').toLowerCase().split('-')[0];
  return tag === 'es' || tag === 'fr' ? tag : 'en';
}

const $ = <T extends Element = HTMLElement>(el: CompaWebinar, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: CompaWebinar, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];

function get<T extends Element = HTMLElement>(el: CompaWebinar, selector: string): T {
  const found = $<T>(el, selector);
  if (!found) throw new Error(`No "${selector}" in <compa-webinar> (state "${el.state}")`);
  return found;
}

/** Whether an element takes room on screen (the form is `hidden` once registered or saved offline). */
const shown = (node: Element | null): boolean => !!node && node.getBoundingClientRect().height > 1;

/** The text a sighted supporter reads in `node`: the visually hidden hints (`.vh`) left out. */
function visible(node: Element): string {
  const copy = node.cloneNode(true) as Element;
  copy.querySelectorAll('.vh').forEach((n) => n.remove());
  return norm(copy.textContent);
}

const textOf = (el: CompaWebinar, selector: string): string => visible(get(el, selector));

/** Waits until `check` passes (it may throw meanwhile). */
const until = (check: () => unknown): Promise<unknown> => waitFor(check, { timeout: STORY_TIMEOUT });

/** Waits for the reflected state, with its messages rendered in `locale` (their chunk loads first). */
async function reach(el: CompaWebinar, state: WebinarState, locale: Locale): Promise<void> {
  await until(() => {
    expect(el.state).toBe(state);
    expect(el.getAttribute('state')).toBe(state);
    expect(get(el, '[part~="base"]').getAttribute('lang')).toBe(locale);
  });
  await el.updateComplete;
}

/** The visible button whose text is `name`. */
function button(el: CompaWebinar, name: string): HTMLButtonElement {
  const all = $$<HTMLButtonElement>(el, 'button').filter((b) => shown(b));
  const found = all.find((b) => visible(b) === norm(name));
  if (!found) throw new Error(`No visible button "${name}"; buttons: ${all.map((b) => `"${visible(b)}"`).join(', ')}`);
  return found;
}

/** The live region (`role="status"`). */
const status = (el: CompaWebinar): string => norm(get(el, '[role="status"]').textContent);

/** The id of the element that has the focus inside the widget. */
const focusedId = (el: CompaWebinar): string | undefined => el.shadowRoot!.activeElement?.id;

/** The ids of the fields marked invalid, in the form's order. */
const invalidIds = (el: CompaWebinar): string[] => $$(el, '[aria-invalid="true"]').map((n) => n.id);

const number = (locale: Locale, n: number): string => new Intl.NumberFormat(locale).format(n);

interface Registrant {
  name?: string;
  email?: string;
  /** Question id → text typed, a choice's option id, or `true` to tick a box. */
  answers?: Record<string, string | true>;
  consent?: boolean;
}

/** The supporter of the stories. */
const ANA: Registrant = { name: 'Ana García', email: 'ana@example.org', consent: true };
/** Her answers to the demo questions: a text, a choice, two boxes (one optional). */
const ANSWERS = { organisation: 'Peace Brigades', role: 'ask', captions: true, recorded: true } as const;

/**
 * Fills in the form as a supporter would (typing, choosing, ticking) and submits it, from `state` (`full`: the
 * waitlist form).
 */
async function fillAndSubmit(context: PlayContext, who: Registrant = ANA, state: WebinarState = 'idle'): Promise<CompaWebinar> {
  const el = widget(context.canvasElement);
  await reach(el, state, localeOf(context));
  if (who.name) await userEvent.type(get(el, '#name'), who.name);
  if (who.email) await userEvent.type(get(el, '#email'), who.email);
  for (const [id, value] of Object.entries(who.answers ?? {})) {
    if (value === true) await userEvent.click(get(el, `#q-${id}`));
    else if ($(el, `#q-${id}-${value}`)) await userEvent.click(get(el, `#q-${id}-${value}`));
    else await userEvent.type(get(el, `#q-${id}`), value);
  }
  if (who.consent) await userEvent.click(get(el, '#consent'));
  await userEvent.click(get(el, 'form button[type="submit"]'));
  return el;
}

/** After registering: the "check your email" panel (focused), no form, and the page told. */
async function expectRegistered(context: PlayContext, el: CompaWebinar, message: string, waitlist: boolean): Promise<void> {
  const locale = localeOf(context);
  await reach(el, 'registered', locale);
  await until(() => expect(textOf(el, '#result')).toBe(norm(message)));
  expect(status(el), 'said once: by the focused message, not by the live region too').toBe('');
  expect(shown($(el, 'form')), 'no form').toBe(false);
  await until(() => expect(focusedId(el)).toBe('result'));
  await expect(context.args.onCompaRegister).toHaveBeenLastCalledWith(
    expect.objectContaining({ detail: { webinar: DEMO_WEBINAR, waitlist, locale } }),
  );
}

/** The load fails (500) while this is true; the load-error stories set it, the retry story turns it off. */
let serverDown = false;

/** The webinar's `GET` answers 500 while `serverDown`, else the demo webinar. */
const flakyLoad = (): HttpHandler[] => [
  http.get(WEBINAR_URL, ({ request }) => {
    if (!serverDown) return undefined; // the next handler answers
    record(request, undefined, 500);
    return errorResponse(500, 'internal', 'Something went wrong on our side; please try again');
  }),
  ...webinarHandlers(),
];

/** Before every webinar story: a fresh mock server. */
const resetPage: BeforeEach = () => {
  resetMockState();
  resetWebinarState();
  serverDown = false;
};

const downUntilRetried: BeforeEach = () => {
  serverDown = true;
  return () => {
    serverDown = false;
  };
};

// ----------------------------------------------------------------------------------------------- the states

interface StateSpec {
  /** What the supporter sees (documentation). */
  title: string;
  msw: () => HttpHandler[];
  args?: Partial<WebinarArgs>;
  beforeEach?: BeforeEach;
  play?: (context: PlayContext, t: Texts, locale: Locale) => Promise<void>;
}

const seriesArgs: Partial<WebinarArgs> = { series: DEMO_SERIES, webinar: '' };

/** Every state the widget can be in (and the variants worth seeing), with the mocked API that leads there. */
const STATES = {
  /** The webinar never arrives: after the widget's own 10 s timeout it shows the load error, as in production. */
  loading: {
    title: 'Loading',
    msw: webinarScenarios.loadSlow,
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'loading', locale);
      await until(() => expect(textOf(el, '[part~="message"]')).toBe(t.loading));
      expect(textOf(el, '[part~="heading"]')).toBe(t.webinar);
      expect($(el, 'form'), 'no form before the webinar arrives').toBeNull();
    },
  },
  'load-error': {
    title: 'The webinar failed to load (500), with a retry button',
    msw: flakyLoad,
    beforeEach: downUntilRetried,
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'load-error', locale);
      await until(() => expect(textOf(el, '[role="alert"]')).toBe(t.loadError));
      expect(button(el, t.tryAgain)).toBeTruthy();
      expect($(el, 'form')).toBeNull();
      await expect(context.args.onCompaError).toHaveBeenLastCalledWith(
        expect.objectContaining({ detail: { code: 'internal', status: 500 } }),
      );
    },
  },
  /** The server is back: "Try again" loads the webinar, and the focus goes to its title. */
  'load-error-retry': {
    title: 'Load error, then "Try again" once the server is back',
    msw: flakyLoad,
    beforeEach: downUntilRetried,
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'load-error', locale);
      serverDown = false;
      await userEvent.click(button(el, t.tryAgain));
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, '[part~="heading"]')).toBe(DEMO_WEBINAR_TEXTS[locale].title));
      expect($(el, '[role="alert"]'), 'the error is gone').toBeNull();
      expect(shown($(el, 'form'))).toBe(true);
      await until(() => expect(focusedId(el)).toBe('heading'));
    },
  },
  'not-found': {
    title: 'Unknown webinar (404)',
    msw: () => webinarScenarios.open(),
    args: { webinar: 'no-such-webinar' },
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'not-found', locale);
      await until(() => expect(textOf(el, '[part~="message"]')).toBe(t.notFound));
      expect($(el, 'form')).toBeNull();
      await expect(context.args.onCompaError).toHaveBeenLastCalledWith(
        expect.objectContaining({ detail: { code: 'not_found', status: 404 } }),
      );
    },
  },
  /** The demo webinar with its questions: required text, required choice, optional and required boxes, optional long text. */
  idle: {
    title: 'Idle: the webinar and its form, with questions',
    msw: () => webinarScenarios.questions(),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      const x = DEMO_WEBINAR_TEXTS[locale];
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, '[part~="heading"]')).toBe(x.title));
      expect(norm(get(el, '[part~="description"]').textContent)).toBe(norm(x.description));
      expect(textOf(el, '[part~="language"]')).toBe(norm(t.language));
      expect(get(el, '[part~="speakers"]').getAttribute('aria-label')).toBe(t.speakers);
      expect($$(el, '[part~="speaker"] strong').map((s) => norm(s.textContent))).toEqual(['Ana Lucía Gómez', 'Jonas Weber']);
      expect($(el, '[part~="time"] time'), 'when').not.toBeNull();
      expect($(el, '[part~="places"]'), 'no places count unless few are left').toBeNull();
      // The form: name, email, the questions, consent.
      expect(shown($(el, 'form'))).toBe(true);
      expect(textOf(el, 'label[for="name"]')).toBe(t.name);
      expect(textOf(el, 'label[for="email"]')).toBe(t.email);
      expect(textOf(el, 'label[for="q-organisation"]'), 'required text question').toBe(norm(x.questions.organisation));
      expect(get(el, '#q-organisation').localName).toBe('input');
      expect(textOf(el, '#q-role-legend'), 'required choice question').toBe(norm(x.questions.role));
      expect($$(el, '#q-role [part~="radio"]').map((r) => textOf(el, `label[for="${r.id}"]`))).toEqual(
        ['listen', 'ask', 'press'].map((o) => norm(x.options[o])),
      );
      expect(textOf(el, 'label[for="q-captions"]'), 'optional box').toBe(norm(x.questions.captions));
      expect(textOf(el, 'label[for="q-recorded"]'), 'required box').toBe(norm(`${x.questions.recorded} ${t.required}`));
      expect(textOf(el, 'label[for="q-question"]'), 'optional long text').toBe(norm(`${x.questions.question} ${t.optional}`));
      expect(get(el, '#q-question').localName).toBe('textarea');
      expect($$<HTMLInputElement>(el, 'input[type="checkbox"], input[type="radio"]').filter((i) => i.checked), 'nothing pre-ticked').toEqual([]);
      expect(textOf(el, '#consent-label')).toBe(norm(t.consent(DEMO_ORGANISATION)));
      const policy = get<HTMLAnchorElement>(el, '#consent-label a');
      expect([visible(policy), policy.href, policy.target]).toEqual([norm(t.privacyPolicy), DEMO_PRIVACY_POLICY_URL, '_blank']);
      expect(textOf(el, 'form button[type="submit"]')).toBe(t.register);
      await expect(context.args.onCompaReady).toHaveBeenLastCalledWith(
        expect.objectContaining({ detail: { webinars: [DEMO_WEBINAR] } }),
      );
    },
  },
  /** A supporter in Madrid, the event in Bogotá: her time, naming her zone, and the event's own, naming it. */
  'time-zone': {
    title: 'Supporter in another time zone (Madrid) than the event (Bogotá)',
    msw: () => webinarScenarios.open({ webinar: TZ_TIMES }),
    args: { timeZone: SUPPORTER_ZONE },
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      await until(() => expect(norm(get(el, '[part~="time"] > time').textContent)).toBe(norm(t.mine)));
      expect(norm(get(el, '[part~="event-time"]').textContent)).toBe(norm(t.theirs));
      expect($$(el, '[part~="time"] time').map((n) => n.getAttribute('datetime')), 'machine-readable instants').toEqual([
        TZ_TIMES.start,
        TZ_TIMES.start,
      ]);
    },
  },
  'few-places': {
    title: 'Only 3 places left',
    msw: () => webinarScenarios.nearlyFull({ placesLeft: 3 }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, '[part~="places"]')).toBe(norm(t.places(number(locale, 3)))));
      expect(textOf(el, 'form button[type="submit"]')).toBe(t.register);
    },
  },
  'last-place': {
    title: 'Only 1 place left (singular)',
    msw: () => webinarScenarios.nearlyFull({ placesLeft: 1 }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, '[part~="places"]')).toBe(norm(t.place(number(locale, 1)))));
    },
  },
  /** Full: the form puts the supporter on the waitlist. */
  full: {
    title: 'Full: the waitlist form',
    msw: () => webinarScenarios.full(),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'full', locale);
      await until(() => expect(textOf(el, 'form [part~="message"]')).toBe(norm(t.full)));
      expect(textOf(el, 'form button[type="submit"]')).toBe(t.joinWaitlist);
      expect($(el, '[part~="places"]'), 'no places count').toBeNull();
    },
  },
  /** The server never answers: after the widget's own timeout the registration is kept on the device (offline). */
  submitting: {
    title: 'Submitting',
    msw: () => webinarScenarios.registerSlow(),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context);
      await reach(el, 'submitting', locale);
      const submit = get(el, 'form button[type="submit"]');
      await until(() => expect(visible(submit)).toBe(t.registering));
      expect(submit.getAttribute('aria-disabled')).toBe('true');
      expect(status(el), 'announced').toBe(t.registering);
    },
  },
  /** Open to all, with the questions answered: "check your email". */
  registered: {
    title: 'Registered: check your email',
    msw: () => webinarScenarios.questions(),
    play: async (context, t) => {
      const el = await fillAndSubmit(context, { ...ANA, answers: ANSWERS });
      await expectRegistered(context, el, t.registered, false);
      // What the server received: the answers as typed, chosen and ticked.
      expect(acceptedRegistrations.map((r) => r.body.answers)).toEqual([ANSWERS]);
    },
  },
  'registered-approval': {
    title: 'Registered, the organisers approve each registration',
    msw: () => webinarScenarios.approval(),
    play: async (context, t) => {
      const el = await fillAndSubmit(context);
      await expectRegistered(context, el, t.registeredApproval, false);
    },
  },
  /** A full webinar: the answer says to check the email, which tells a place or the waitlist. */
  'registered-waitlist': {
    title: 'Registered on the waitlist of a full webinar',
    msw: () => webinarScenarios.full(),
    play: async (context, t) => {
      const el = await fillAndSubmit(context, ANA, 'full');
      await expectRegistered(context, el, t.registeredWaitlist, true);
    },
  },
  /** The widget's own checks: nothing filled in but an email without a domain; nothing is sent. */
  invalid: {
    title: 'Field errors (the widget’s own checks)',
    msw: () => webinarScenarios.questions(),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context, { email: 'ana@example' });
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, '#name-error')).toBe(t.nameMissing));
      expect(textOf(el, '#email-error')).toBe(t.emailInvalid);
      expect(textOf(el, '#q-organisation-error')).toBe(t.answerMissing);
      expect(textOf(el, '#q-role-error')).toBe(t.choiceMissing);
      expect(textOf(el, '#q-recorded-error')).toBe(t.boxMissing);
      expect(textOf(el, '#consent-error')).toBe(t.consentMissing);
      expect($(el, '#q-captions-error'), 'optional box').toBeNull();
      expect(invalidIds(el)).toEqual(['name', 'email', 'q-organisation', 'q-role', 'q-recorded', 'consent']);
      expect(get(el, '#email').getAttribute('aria-describedby')).toBe('email-error');
      await until(() => expect(focusedId(el), 'the first invalid field has the focus').toBe('name'));
      expect(acceptedRegistrations, 'nothing sent').toEqual([]);
    },
  },
  /** The widget's checks pass, the server refuses two fields (400): its own words, in the story's language. */
  'server-invalid': {
    title: 'Field errors from the server (400 mapped to fields)',
    msw: () =>
      webinarScenarios.validationError({
        questions: true,
        fields: { email: 'Must be a valid email address', 'answers.organisation': 'Must not contain control characters' },
      }),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context, { ...ANA, answers: ANSWERS });
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, '#email-error')).toBe(t.emailInvalid));
      expect(textOf(el, '#q-organisation-error')).toBe(t.checkField);
      expect(invalidIds(el)).toEqual(['email', 'q-organisation']);
      expect($(el, '[role="alert"]'), 'no generic error').toBeNull();
      expect(visible(get(el, 'form')), 'never the server’s English').not.toContain('Must not contain');
      await until(() => expect(focusedId(el)).toBe('email'));
      await expect(context.args.onCompaError).toHaveBeenLastCalledWith(
        expect.objectContaining({ detail: { code: 'invalid_body', status: 400 } }),
      );
    },
  },
  /** Started 10 minutes ago: registration is closed. */
  closed: {
    title: 'Closed: the webinar has started',
    msw: () => webinarScenarios.started(),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'closed', locale);
      await until(() => expect(textOf(el, '#closed')).toBe(norm(t.closed)));
      expect($(el, 'form')).toBeNull();
      expect($(el, '[part~="recording"]')).toBeNull();
    },
  },
  /** The webinar starts between loading and registering: the registration gets a 409 and registration closes. */
  'closed-while-registering': {
    title: 'Closed while registering (409)',
    msw: () => webinarScenarios.closesOnRegister(),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context);
      await reach(el, 'closed', locale);
      await until(() => expect(textOf(el, '#closed')).toBe(norm(t.closed)));
      expect($(el, 'form')).toBeNull();
      await until(() => expect(focusedId(el)).toBe('closed'));
      await expect(context.args.onCompaError).toHaveBeenLastCalledWith(
        expect.objectContaining({ detail: { code: 'registration_closed', status: 409 } }),
      );
    },
  },
  ended: {
    title: 'Ended, no recording',
    msw: () => webinarScenarios.ended({ recording: null }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'ended', locale);
      await until(() => expect(textOf(el, '[part~="message"]')).toBe(t.ended));
      expect($(el, '[part~="recording"]'), 'no recording link').toBeNull();
      expect($(el, 'form')).toBeNull();
    },
  },
  'ended-recording': {
    title: 'Ended, with its recording',
    msw: () => webinarScenarios.ended(),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'ended', locale);
      await until(() => expect(textOf(el, '[part~="message"]')).toBe(t.ended));
      const link = get<HTMLAnchorElement>(el, 'a[part~="recording"]');
      expect(visible(link)).toBe(t.recording);
      expect(norm(link.textContent), 'says it opens a new tab').toBe(norm(`${t.recording} ${t.newTab}`));
      expect([link.href, link.target, link.rel]).toEqual([DEMO_RECORDING_URL, '_blank', 'noopener noreferrer']);
      expect($(el, 'form')).toBeNull();
    },
  },
  /** The device is offline: the registration is saved and sent once the connection returns. */
  offline: {
    title: 'Offline: saved on the device',
    msw: () => webinarScenarios.offline(),
    play: async (context, t, locale) =>
      whileDeviceOffline(async () => {
        const el = await fillAndSubmit(context);
        await reach(el, 'offline', locale);
        await until(() => expect(textOf(el, '#result')).toBe(norm(t.offline)));
        expect(status(el), 'said once: by the focused message, not by the live region too').toBe('');
        expect(shown($(el, 'form')), 'no form').toBe(false);
        expect($(el, '.panel button'), 'no "try again now" while offline').toBeNull();
        await expect(context.args.onCompaQueued).toHaveBeenLastCalledWith(
          expect.objectContaining({ detail: { action: 'register' } }),
        );
      }),
  },
  /** Online, but the server can't be reached: saved on the device, and "Try again now" (which fails again here). */
  unreachable: {
    title: 'Server unreachable: saved on the device, try again now',
    msw: () => webinarScenarios.offline(),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context);
      await reach(el, 'offline', locale);
      await until(() => expect(textOf(el, '#result')).toBe(norm(t.offline)));
      const attempts = () => requestLog.filter((r) => r.method === 'POST' && r.url.endsWith('/registrations')).length;
      expect(attempts()).toBe(1);
      await userEvent.click(button(el, t.tryAgainNow));
      // It tried again; still unreachable: the registration stays saved, and the button is back.
      await until(() => expect(attempts()).toBe(2));
      await until(() => expect(button(el, t.tryAgainNow).getAttribute('aria-disabled')).toBe('false'));
      expect(el.state).toBe('offline');
      expect(textOf(el, '#result')).toBe(norm(t.offline));
    },
  },
  error: {
    title: 'Error (server failure)',
    msw: () => webinarScenarios.serverError(),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context);
      await reach(el, 'error', locale);
      await until(() => expect(textOf(el, '[role="alert"]')).toBe(norm(t.error)));
      expect(shown($(el, 'form')), 'the form, to try again').toBe(true);
      expect(textOf(el, 'form button[type="submit"]')).toBe(t.register);
      await expect(context.args.onCompaError).toHaveBeenLastCalledWith(
        expect.objectContaining({ detail: { code: 'internal', status: 500 } }),
      );
    },
  },
  'rate-limited': {
    title: 'Rate limited (429, retry in 2 minutes)',
    msw: () => webinarScenarios.rateLimited({ retryAfter: 120 }),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context);
      await reach(el, 'rate-limited', locale);
      const when = new Intl.RelativeTimeFormat(locale).format(2, 'minute');
      await until(() => expect(textOf(el, '[role="alert"]')).toBe(norm(t.rateLimited(when))));
      await expect(context.args.onCompaError).toHaveBeenLastCalledWith(
        expect.objectContaining({ detail: { code: 'rate_limited', status: 429 } }),
      );
    },
  },
  /** `series="accompaniment-talks"`: started, open, nearly full (2 places), full (waitlist). */
  list: {
    title: 'A series: its upcoming webinars',
    msw: () => webinarScenarios.series(),
    args: seriesArgs,
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'list', locale);
      await until(() => expect(textOf(el, '[part~="heading"]')).toBe(t.upcoming));
      expect($$(el, '[part~="item-title"]').map((n) => norm(n.textContent))).toEqual(DEMO_WEBINAR_TEXTS[locale].series.map(norm));
      expect($$(el, '[part~="item-status"]').map((n) => norm(n.textContent))).toEqual(
        [t.statusStarted, t.statusOpen, t.statusOpen, t.statusFull].map(norm),
      );
      expect($$(el, '[part~="item"]').map((item) => (item.querySelector('[part~="places"]') ? visible(item.querySelector('[part~="places"]')!) : null))).toEqual(
        [null, null, norm(t.places(number(locale, 2))), null],
      );
      expect($(el, `#open-${SERIES_SLUGS[0]}`), 'no button once started').toBeNull();
      expect(textOf(el, `#open-${SERIES_SLUGS[1]}`)).toBe(t.register);
      expect(textOf(el, `#open-${SERIES_SLUGS[2]}`)).toBe(t.register);
      expect(textOf(el, `#open-${SERIES_SLUGS[3]}`)).toBe(t.joinWaitlist);
      expect($(el, 'form'), 'no form in the list').toBeNull();
      await expect(context.args.onCompaReady).toHaveBeenLastCalledWith(expect.objectContaining({ detail: { webinars: SERIES_SLUGS } }));
    },
  },
  /** From the list: the full one (its waitlist), back to the list, then an open one. */
  'list-open': {
    title: 'A series: opening a webinar from the list, and back',
    msw: () => webinarScenarios.series(),
    args: seriesArgs,
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      const titles = DEMO_WEBINAR_TEXTS[locale].series;
      await reach(el, 'list', locale);
      await userEvent.click(get(el, `#open-${SERIES_SLUGS[3]}`));
      await reach(el, 'full', locale);
      await until(() => expect(textOf(el, '[part~="heading"]')).toBe(norm(titles[3])));
      expect(textOf(el, 'form [part~="message"]')).toBe(norm(t.full));

      await userEvent.click(button(el, t.allWebinars));
      await reach(el, 'list', locale);
      await until(() => expect(focusedId(el), 'back on the webinar’s button').toBe(`open-${SERIES_SLUGS[3]}`));

      await userEvent.click(get(el, `#open-${SERIES_SLUGS[1]}`));
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, '[part~="heading"]')).toBe(norm(titles[1])));
      await until(() => expect(focusedId(el)).toBe('heading'));
      expect(button(el, t.allWebinars)).toBeTruthy();
      expect(shown($(el, 'form'))).toBe(true);
      expect(textOf(el, 'form button[type="submit"]')).toBe(t.register);
      expect($(el, '[part~="list"]'), 'the list is gone').toBeNull();
    },
  },
  'list-empty': {
    title: 'A series with nothing coming up',
    msw: () => webinarScenarios.emptySeries(),
    args: seriesArgs,
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'list', locale);
      await until(() => expect(textOf(el, '[part~="message"]')).toBe(t.noUpcoming));
      expect($(el, '[part~="item"]')).toBeNull();
    },
  },
  /** Published in English and Spanish only: French readers are told, and get the English texts. */
  'not-translated': {
    title: 'Not yet translated (shown in English)',
    msw: () => webinarScenarios.fallback(),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, '[part~="note"]')).toBe(norm(t.notTranslated)));
      expect(textOf(el, '[part~="heading"]')).toBe(DEMO_WEBINAR_TEXTS.en.title);
      expect(get(el, '[part~="heading"]').getAttribute('lang'), 'the texts carry their language').toBe('en');
      expect(textOf(el, 'form button[type="submit"]'), 'the widget’s own words stay translated').toBe(t.register);
    },
  },
} satisfies Record<string, StateSpec>;

/** A state in a locale. (Storybook's indexer names it after the export, e.g. `ListOpenFr` → "List Open Fr".) */
function story(state: keyof typeof STATES, locale: Locale): Story {
  const spec: StateSpec = STATES[state];
  const play = spec.play;
  return {
    globals: { locale },
    args: spec.args,
    parameters: { msw: spec.msw(), docs: { description: { story: spec.title } } },
    beforeEach: spec.beforeEach,
    play: play && ((context) => play(context, TEXT[localeOf(context)], localeOf(context))),
  };
}

const meta: Meta<WebinarArgs> = {
  title: 'Widgets/Webinar',
  component: 'compa-webinar',
  beforeEach: resetPage,
  args: {
    webinar: DEMO_WEBINAR,
    series: '',
    lang: '',
    headingLevel: 2,
    timeZone: '',
    onCompaReady: fn(),
    onCompaRegister: fn(),
    onCompaError: fn(),
    onCompaQueued: fn(),
  },
  argTypes: {
    webinar: { control: 'text', description: 'The webinar’s slug (or use `series`)', table: { category: 'attributes' } },
    series: {
      control: 'select',
      options: ['', DEMO_SERIES],
      labels: { '': '(none: one webinar)' },
      description: 'A series’ slug: lists its upcoming webinars, each with a "Register" button (wins over `webinar`)',
      table: { category: 'attributes' },
    },
    lang: {
      control: 'select',
      options: ['', 'en', 'es', 'fr', 'es-CO', 'fr-CA', 'de'],
      labels: { '': '(inherited: Locale toolbar)', 'es-CO': 'es-CO (→ es)', 'fr-CA': 'fr-CA (→ fr)', de: 'de (→ en)' },
      description: 'Language of the widget (`es-CO` → `es`, anything unsupported → `en`); default: the closest `lang`',
      table: { category: 'attributes' },
    },
    headingLevel: {
      name: 'heading-level',
      control: { type: 'number', min: 1, max: 6 },
      description: 'Level of the title in the page outline (a list’s items are one below)',
      table: { category: 'attributes' },
    },
    timeZone: {
      name: 'time-zone',
      control: 'select',
      options: ['', 'America/Bogota', 'Europe/Madrid', 'America/New_York', 'Asia/Tokyo', 'Mars/Olympus_Mons'],
      labels: { '': '(the browser’s)', 'Mars/Olympus_Mons': 'Mars/Olympus_Mons (invalid → the browser’s)' },
      description: 'IANA time zone to show times in; default (and when invalid): the browser’s',
      table: { category: 'attributes' },
    },
    onCompaReady: { name: 'compa-ready', description: 'Loaded; `detail`: `{webinars}` (the slugs shown)', table: { category: 'events' } },
    onCompaRegister: {
      name: 'compa-register',
      description: 'The server accepted a registration (now or a saved one later); `detail`: `{webinar, waitlist, locale}`',
      table: { category: 'events' },
    },
    onCompaError: {
      name: 'compa-error',
      description: 'A request failed; `detail`: `{code, status}` (`registration_closed`/409, `rate_limited`/429, `network`/0…)',
      table: { category: 'events' },
    },
    onCompaQueued: {
      name: 'compa-queued',
      description: "Offline: the registration was saved on the device; `detail`: `{action: 'register'}`",
      table: { category: 'events' },
    },
  },
  render: (args, { id }) => html`<compa-webinar
    api=${`https://demo.compa.test/${id}`}
    webinar=${args.webinar || nothing}
    series=${args.series || nothing}
    lang=${args.lang || nothing}
    heading-level=${args.headingLevel}
    time-zone=${args.timeZone || nothing}
    @compa-ready=${args.onCompaReady}
    @compa-register=${args.onCompaRegister}
    @compa-error=${args.onCompaError}
    @compa-queued=${args.onCompaQueued}
  ></compa-webinar>`,
};
export default meta;

/**
 * Follows the toolbar's locale; change the attributes in the Controls panel (`series` shows the demo series).
 * The webinar has the demo questions; answers take 400 ms.
 */
export const Playground: Story = {
  parameters: { msw: [...webinarScenarios.questions({ latency: 400 })] },
};

export const LoadingEn = story('loading', 'en');
export const LoadingEs = story('loading', 'es');
export const LoadingFr = story('loading', 'fr');
export const LoadErrorEn = story('load-error', 'en');
export const LoadErrorEs = story('load-error', 'es');
export const LoadErrorFr = story('load-error', 'fr');
export const LoadErrorRetryEn = story('load-error-retry', 'en');
export const LoadErrorRetryEs = story('load-error-retry', 'es');
export const LoadErrorRetryFr = story('load-error-retry', 'fr');
export const NotFoundEn = story('not-found', 'en');
export const NotFoundEs = story('not-found', 'es');
export const NotFoundFr = story('not-found', 'fr');
export const IdleEn = story('idle', 'en');
export const IdleEs = story('idle', 'es');
export const IdleFr = story('idle', 'fr');
export const TimeZoneEn = story('time-zone', 'en');
export const TimeZoneEs = story('time-zone', 'es');
export const TimeZoneFr = story('time-zone', 'fr');
export const FewPlacesEn = story('few-places', 'en');
export const FewPlacesEs = story('few-places', 'es');
export const FewPlacesFr = story('few-places', 'fr');
export const LastPlaceEn = story('last-place', 'en');
export const LastPlaceEs = story('last-place', 'es');
export const LastPlaceFr = story('last-place', 'fr');
export const FullEn = story('full', 'en');
export const FullEs = story('full', 'es');
export const FullFr = story('full', 'fr');
export const SubmittingEn = story('submitting', 'en');
export const SubmittingEs = story('submitting', 'es');
export const SubmittingFr = story('submitting', 'fr');
export const RegisteredEn = story('registered', 'en');
export const RegisteredEs = story('registered', 'es');
export const RegisteredFr = story('registered', 'fr');
export const RegisteredApprovalEn = story('registered-approval', 'en');
export const RegisteredApprovalEs = story('registered-approval', 'es');
export const RegisteredApprovalFr = story('registered-approval', 'fr');
export const RegisteredWaitlistEn = story('registered-waitlist', 'en');
export const RegisteredWaitlistEs = story('registered-waitlist', 'es');
export const RegisteredWaitlistFr = story('registered-waitlist', 'fr');
export const InvalidEn = story('invalid', 'en');
export const InvalidEs = story('invalid', 'es');
export const InvalidFr = story('invalid', 'fr');
export const ServerInvalidEn = story('server-invalid', 'en');
export const ServerInvalidEs = story('server-invalid', 'es');
export const ServerInvalidFr = story('server-invalid', 'fr');
export const ClosedEn = story('closed', 'en');
export const ClosedEs = story('closed', 'es');
export const ClosedFr = story('closed', 'fr');
export const ClosedWhileRegisteringEn = story('closed-while-registering', 'en');
export const ClosedWhileRegisteringEs = story('closed-while-registering', 'es');
export const ClosedWhileRegisteringFr = story('closed-while-registering', 'fr');
export const EndedEn = story('ended', 'en');
export const EndedEs = story('ended', 'es');
export const EndedFr = story('ended', 'fr');
export const EndedWithRecordingEn = story('ended-recording', 'en');
export const EndedWithRecordingEs = story('ended-recording', 'es');
export const EndedWithRecordingFr = story('ended-recording', 'fr');
export const OfflineEn = story('offline', 'en');
export const OfflineEs = story('offline', 'es');
export const OfflineFr = story('offline', 'fr');
export const UnreachableEn = story('unreachable', 'en');
export const UnreachableEs = story('unreachable', 'es');
export const UnreachableFr = story('unreachable', 'fr');
export const ErrorEn = story('error', 'en');
export const ErrorEs = story('error', 'es');
export const ErrorFr = story('error', 'fr');
export const RateLimitedEn = story('rate-limited', 'en');
export const RateLimitedEs = story('rate-limited', 'es');
export const RateLimitedFr = story('rate-limited', 'fr');
export const SeriesListEn = story('list', 'en');
export const SeriesListEs = story('list', 'es');
export const SeriesListFr = story('list', 'fr');
export const SeriesOpenWebinarEn = story('list-open', 'en');
export const SeriesOpenWebinarEs = story('list-open', 'es');
export const SeriesOpenWebinarFr = story('list-open', 'fr');
export const SeriesEmptyEn = story('list-empty', 'en');
export const SeriesEmptyEs = story('list-empty', 'es');
export const SeriesEmptyFr = story('list-empty', 'fr');
export const NotTranslatedFr = story('not-translated', 'fr');
