/**
 * `<compa-petition>`: every state × English, Spanish and French, driven for real: the API is mocked by the
 * scenarios of `test/mocks/petition-handlers.ts` (the same handlers as the widget tests, validated with the shared
 * zod schemas, live counter through msw's Server-Sent Events) and each story's `play` signs like a supporter
 * would, then checks what the supporter sees, in the story's language.
 *
 * Each story gives the widget its own `api` base (`https://demo.compa.test/<story id>`, never reached: the mock
 * service worker answers) so that a signature queued by the offline stories is never re-sent inside another
 * story. Before every story the mock server's state (counts, signers, live streams) and the remembered supporter
 * (`compa:supporter`) are reset; the one-click stories set what they need in `beforeEach` and undo it afterwards.
 */
import { html, nothing } from 'lit';
import type { HttpHandler } from 'msw';
import { expect, fn, userEvent, waitFor } from 'storybook/test';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../src/widgets/petition/compa-petition.ts';
import { ACTION_PARAM, SUPPORTER_KEY } from '../src/widgets/petition/compa-petition.ts';
import type { CompaPetition, PetitionState } from '../src/widgets/petition/compa-petition.ts';
import {
  DEMO_SLUG,
  DEMO_TEXTS,
  TOKEN_NAME,
  VALID_TOKEN,
  openStreams,
  petitionHandlers,
  petitionScenarios,
  pushCount,
  resetPetitionState,
} from '../test/mocks/petition-handlers.ts';
import { whileDeviceOffline } from '../test/mocks/device.ts';

interface PetitionArgs {
  campaign: string;
  /** `lang` of the element itself; empty: inherited from the story wrapper (the Locale toolbar). */
  lang: string;
  headingLevel: number;
  shareUrl: string;
  noRemember: boolean;
  compact: boolean;
  onCompaReady: (e: Event) => void;
  onCompaSign: (e: Event) => void;
  onCompaShare: (e: Event) => void;
  onCompaError: (e: Event) => void;
  onCompaQueued: (e: Event) => void;
}

type Locale = 'en' | 'es' | 'fr';
type Story = StoryObj<PetitionArgs>;
type PlayContext = Parameters<NonNullable<Story['play']>>[0];
type BeforeEach = NonNullable<Story['beforeEach']>;

const STORY_TIMEOUT = 10_000;
const HOUR = 60 * 60 * 1000;
/** The supporter of the stories (Colombia: the demo petition is about the Cauca valley). */
const ANA = { firstName: 'Ana', lastName: 'García', email: 'ana@example.org', country: 'CO' };

// ----------------------------------------------------------------------------------------------- expectations

/** Whitespace-normalised text (French uses U+202F before `!`, `?`, `:` and in numbers; `\s` covers it). */
const norm = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

/** What the supporter should read, per locale (from `locales/*.xlf`): the plays check the story's language. */
const TEXT = {
  en: {
    loading: 'Loading…',
    loadError: 'The petition couldn’t load. Check your connection and try again.',
    notFound: 'This petition doesn’t exist or is no longer online.',
    tryAgain: 'Try again',
    tryAgainNow: 'Try again now',
    sign: 'Sign',
    signing: 'Signing…',
    signAs: (name: string) => `Sign as ${name}`,
    notYou: 'Not you?',
    optional: '(optional)',
    signed: 'Thank you! Your signature has been counted.',
    checkInbox: 'Almost done: we’ve sent you an email. Click the link in it to confirm your signature. It counts once confirmed.',
    closed: 'This petition is closed.',
    offline: 'We couldn’t send your signature yet. It’s saved on this device and will be sent as soon as possible.',
    error: 'Sorry, your signature was not sent. Please try again.',
    rateLimited: (when: string) => `Too many attempts. Please try again ${when}.`,
    expired: 'This link has expired. Please sign with the form.',
    notTranslated: (language: string) => `Not yet translated: shown in ${language}.`,
    lastNameMissing: 'Enter your last name.',
    emailInvalid: 'Enter a valid email address, like name@example.org.',
    helpUs: (goal: string) => `Help us reach ${goal} signatures.`,
    goal: (goal: string) => `Goal: ${goal}`,
    nextGoal: (goal: string) => `Goal reached! Next goal: ${goal}`,
    reachedGoal: 'We reached the goal!',
    closes: (when: string) => `Closes ${when}`,
  },
  es: {
    loading: 'Cargando…',
    loadError: 'No se pudo cargar la petición. Comprueba tu conexión e inténtalo de nuevo.',
    notFound: 'Esta petición no existe o ya no está disponible.',
    tryAgain: 'Intentar de nuevo',
    tryAgainNow: 'Intentar ahora',
    sign: 'Firmar',
    signing: 'Firmando…',
    signAs: (name: string) => `Firmar como ${name}`,
    notYou: '¿No eres tú?',
    optional: '(opcional)',
    signed: '¡Gracias! Tu firma ya cuenta.',
    checkInbox:
      'Ya casi está: te hemos enviado un correo. Haz clic en el enlace que contiene para confirmar tu firma. Contará en cuanto la confirmes.',
    closed: 'Esta petición está cerrada.',
    offline: 'Aún no hemos podido enviar tu firma. Está guardada en este dispositivo y se enviará lo antes posible.',
    error: 'Lo sentimos, tu firma no se ha enviado. Inténtalo de nuevo.',
    rateLimited: (when: string) => `Demasiados intentos. Vuelve a intentarlo ${when}.`,
    expired: 'Este enlace ha caducado. Firma con el formulario.',
    notTranslated: (language: string) => `Aún sin traducir: se muestra en ${language}.`,
    lastNameMissing: 'Escribe tus apellidos.',
    emailInvalid: 'Escribe una dirección de correo válida, como nombre@ejemplo.org.',
    helpUs: (goal: string) => `Ayúdanos a llegar a ${goal} firmas.`,
    goal: (goal: string) => `Objetivo: ${goal}`,
    nextGoal: (goal: string) => `¡Objetivo alcanzado! Próximo objetivo: ${goal}`,
    reachedGoal: '¡Hemos alcanzado el objetivo!',
    closes: (when: string) => `Se cierra ${when}`,
  },
  fr: {
    loading: 'Chargement…',
    loadError: 'La pétition n’a pas pu se charger. Vérifiez votre connexion et réessayez.',
    notFound: 'Cette pétition n’existe pas ou n’est plus en ligne.',
    tryAgain: 'Réessayer',
    tryAgainNow: 'Réessayer maintenant',
    sign: 'Signer',
    signing: 'Signature en cours…',
    signAs: (name: string) => `Signer en tant que ${name}`,
    notYou: 'Ce n’est pas vous ?',
    optional: '(facultatif)',
    signed: 'Merci ! Votre signature a été comptabilisée.',
    checkInbox:
      'Presque fini : nous vous avons envoyé un e-mail. Cliquez sur le lien qu’il contient pour confirmer votre signature. Elle comptera une fois confirmée.',
    closed: 'Cette pétition est close.',
    offline: 'Votre signature n’a pas encore pu être envoyée. Elle est enregistrée sur cet appareil et sera envoyée dès que possible.',
    error: 'Désolé, votre signature n’a pas été envoyée. Veuillez réessayer.',
    rateLimited: (when: string) => `Trop de tentatives. Veuillez réessayer ${when}.`,
    expired: 'Ce lien a expiré. Veuillez signer avec le formulaire.',
    notTranslated: (language: string) => `Pas encore traduit : affiché en ${language}.`,
    lastNameMissing: 'Saisissez votre nom.',
    emailInvalid: 'Saisissez une adresse e-mail valide, par exemple nom@exemple.org.',
    helpUs: (goal: string) => `Aidez-nous à atteindre ${goal} signatures.`,
    goal: (goal: string) => `Objectif : ${goal}`,
    nextGoal: (goal: string) => `Objectif atteint ! Prochain objectif : ${goal}`,
    reachedGoal: 'Objectif atteint !',
    closes: (when: string) => `Se termine ${when}`,
  },
} satisfies Record<Locale, Record<string, string | ((value: string) => string)>>;

// ----------------------------------------------------------------------------------------------- play helpers

function widget(canvasElement: HTMLElement): CompaPetition {
  const el = canvasElement.querySelector('compa-petition');
  if (!el) throw new Error('<compa-petition> is not rendered');
  return el;
}

/** The locale the story shows: the element's own `lang` argument, else the Locale toolbar's. */
function localeOf({ args, globals }: PlayContext): Locale {
  const tag = (args.lang || globals.locale || 'en').toLowerCase().split('-')[0];
  return tag === 'es' || tag === 'fr' ? tag : 'en';
}

const $ = <T extends Element = HTMLElement>(el: CompaPetition, selector: string): T | null =>
  el.shadowRoot!.querySelector<T>(selector);

function get<T extends Element = HTMLElement>(el: CompaPetition, selector: string): T {
  const found = $<T>(el, selector);
  if (!found) throw new Error(`No "${selector}" in <compa-petition> (state "${el.state}")`);
  return found;
}

const textOf = (el: CompaPetition, selector: string): string => norm(get(el, selector).textContent);

/** Whether an element takes room on screen (the form is `hidden` in one-click and after signing). */
const shown = (node: Element | null): boolean => !!node && node.getBoundingClientRect().height > 1;

/** Waits until `check` passes (it may throw meanwhile). */
const until = (check: () => unknown): Promise<unknown> => waitFor(check, { timeout: STORY_TIMEOUT });

/** Waits for the reflected state, with its messages rendered in `locale` (their chunk loads first). */
async function reach(el: CompaPetition, state: PetitionState, locale: Locale): Promise<void> {
  await until(() => {
    expect(el.state).toBe(state);
    expect(el.getAttribute('state')).toBe(state);
    expect(get(el, '[part~="base"]').getAttribute('lang')).toBe(locale);
  });
  await el.updateComplete;
}

/** The visible button whose text is `name`. */
function button(el: CompaPetition, name: string): HTMLButtonElement {
  const all = [...el.shadowRoot!.querySelectorAll('button')].filter((b) => shown(b));
  const found = all.find((b) => norm(b.textContent) === norm(name));
  if (!found) throw new Error(`No visible button "${name}"; buttons: ${all.map((b) => `"${norm(b.textContent)}"`).join(', ')}`);
  return found;
}

/** The live region (`role="status"`). */
const status = (el: CompaPetition): string => textOf(el, '[role="status"]');

const number = (locale: Locale, n: number): string => new Intl.NumberFormat(locale).format(n);

interface Supporter {
  firstName?: string;
  lastName?: string;
  email?: string;
  country?: string;
  comment?: string;
  keepInformed?: boolean;
}

/** Fills in the form as a supporter would (typing, choosing the country, ticking boxes) and submits it. */
async function fillAndSubmit(context: PlayContext, who: Supporter = ANA): Promise<CompaPetition> {
  const el = widget(context.canvasElement);
  await reach(el, 'idle', localeOf(context));
  const type = async (id: string, value: string | undefined) => {
    const field = $<HTMLInputElement>(el, '#' + id);
    if (field && value) await userEvent.type(field, value);
  };
  await type('firstName', who.firstName);
  await type('lastName', who.lastName);
  await type('email', who.email);
  if (who.country) await userEvent.selectOptions(get<HTMLSelectElement>(el, '#country'), who.country);
  await type('comment', who.comment);
  if (who.keepInformed) await userEvent.click(get(el, '#keepInformed'));
  await userEvent.click(get(el, 'form button[type="submit"]'));
  return el;
}


/** Counts pushed by the live story after its play, stopped when the story is left. */
let ticker: ReturnType<typeof setInterval> | undefined;

/** Before every petition story: a fresh mock server, nobody remembered, no live ticker. */
const resetPage: BeforeEach = () => {
  resetPetitionState();
  localStorage.removeItem(SUPPORTER_KEY);
  return () => {
    clearInterval(ticker);
    ticker = undefined;
  };
};

/** "Remember me on this device" was ticked on an earlier visit. */
const rememberAna: BeforeEach = () => {
  localStorage.setItem(SUPPORTER_KEY, JSON.stringify(ANA));
  return () => localStorage.removeItem(SUPPORTER_KEY);
};

/** The page was opened through an action link (`?compa_action=TOKEN`); the widget removes it from the address. */
const arriveWithToken =
  (token: string): BeforeEach =>
  () => {
    const url = new URL(location.href);
    url.searchParams.set(ACTION_PARAM, token);
    history.replaceState(history.state, '', url);
    return () => {
      const now = new URL(location.href);
      if (!now.searchParams.has(ACTION_PARAM)) return;
      now.searchParams.delete(ACTION_PARAM);
      history.replaceState(history.state, '', now);
    };
  };

// ----------------------------------------------------------------------------------------------- the states

interface StateSpec {
  /** What the supporter sees (documentation). */
  title: string;
  msw: () => HttpHandler[];
  args?: Partial<PetitionArgs>;
  beforeEach?: BeforeEach;
  play?: (context: PlayContext, t: (typeof TEXT)[Locale], locale: Locale) => Promise<void>;
}

/** Every state the widget can be in (and the variants of the form), with the mocked API that leads there. */
const STATES = {
  /** The petition never arrives: after the widget's own 10 s timeout it shows the load error, as in production. */
  loading: {
    title: 'Loading',
    msw: petitionScenarios.loadSlow,
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'loading', locale);
      await until(() => expect(textOf(el, '[part~="message"]')).toBe(t.loading));
    },
  },
  'load-error': {
    title: 'The petition failed to load (500), with a retry button',
    msw: () => petitionScenarios.loadFailure(),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'load-error', locale);
      await until(() => expect(textOf(el, '[role="alert"]')).toBe(t.loadError));
      expect(button(el, t.tryAgain)).toBeTruthy();
      await expect(context.args.onCompaError).toHaveBeenLastCalledWith(
        expect.objectContaining({ detail: { code: 'internal', status: 500 } }),
      );
    },
  },
  'not-found': {
    title: 'Unknown petition (404)',
    msw: () => petitionScenarios.open(),
    args: { campaign: 'no-such-petition' },
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'not-found', locale);
      await until(() => expect(textOf(el, '[part~="message"]')).toBe(t.notFound));
    },
  },
  /** The demo petition: last name optional, "keep me informed" offered, 1,234 of 5,000, closes in 3 days. */
  idle: {
    title: 'Idle: the form',
    msw: () => petitionScenarios.open(),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, '[part~="heading"]')).toBe(DEMO_TEXTS[locale].title));
      expect(textOf(el, '[part~="count"]')).toBe(norm(number(locale, 1234)));
      expect(textOf(el, '[part~="goal"]')).toBe(norm(t.goal(number(locale, 5000))));
      expect(shown($(el, 'form'))).toBe(true);
      expect(textOf(el, 'label[for="lastName"]')).toContain(t.optional);
      expect(textOf(el, 'form button[type="submit"]')).toBe(t.sign);
      await expect(context.args.onCompaReady).toHaveBeenLastCalledWith(
        expect.objectContaining({ detail: { campaign: DEMO_SLUG } }),
      );
    },
  },
  'idle-last-name-required': {
    title: 'Idle: last name required, "keep me informed" offered',
    msw: () => petitionScenarios.open({ petition: { lastName: 'required' } }),
    play: async (context, _t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      await until(() => expect($(el, 'label[for="lastName"] .opt')).toBeNull());
      expect($(el, '#keepInformed')).not.toBeNull();
      expect(textOf(el, '#keep-label')).toContain(DEMO_TEXTS[locale].keepInformed);
    },
  },
  /** No last name, no newsletter offer, and `no-remember`: the shortest form. */
  'idle-minimal': {
    title: 'Idle: no last name, nothing offered, nothing remembered',
    msw: () => petitionScenarios.open({ petition: { lastName: 'hidden', keepInformed: null } }),
    args: { noRemember: true },
    play: async (context, _t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      for (const field of ['#lastName', '#keepInformed', '#remember']) expect($(el, field)).toBeNull();
    },
  },
  'idle-compact': {
    title: 'Idle, compact: title, target, counter and form only',
    msw: () => petitionScenarios.open(),
    args: { compact: true },
    play: async (context, _t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      expect($(el, '[part~="summary"]')).toBeNull();
      expect($(el, '[part~="body"]')).toBeNull();
      expect($(el, '[part~="counter"]')).not.toBeNull();
    },
  },
  /** 42 signatures, shown from 100: the counter invites to help instead. */
  'idle-below-threshold': {
    title: 'Idle: a small count hidden (count threshold)',
    msw: () => petitionScenarios.open({ petition: { count: 42, countThreshold: 100 } }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, '[part~="counter"]')).toBe(norm(t.helpUs(number(locale, 5000)))));
      expect($(el, '[part~="count"]')).toBeNull();
    },
  },
  'idle-past-goal': {
    title: 'Idle: past the goal, the next milestone',
    msw: () => petitionScenarios.open({ petition: { count: 6021 } }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, '[part~="goal"]')).toBe(norm(t.nextGoal(number(locale, 10000)))));
      expect(get(el, '[role="progressbar"]').getAttribute('aria-valuemax')).toBe('10000');
    },
  },
  'idle-closes-soon': {
    title: 'Idle: closes in a few hours',
    msw: () =>
      petitionScenarios.open({
        // A getter: the mock reads it on each request, so the deadline stays 5 hours ahead of now.
        petition: {
          get deadline() {
            return new Date(Date.now() + 5 * HOUR + 10 * 60_000).toISOString();
          },
        },
      }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      const when = new Intl.RelativeTimeFormat(locale).format(5, 'hour');
      await until(() => expect(textOf(el, '[part~="deadline"]')).toContain(norm(t.closes(when))));
      expect($(el, '[part~="deadline"] time')).not.toBeNull();
    },
  },
  /** The petition is published in English only: Spanish and French readers are told. */
  'not-translated': {
    title: 'Not yet translated (shown in English)',
    msw: () => petitionHandlers({ locales: ['en'] }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      const english = new Intl.DisplayNames(locale, { type: 'language' }).of('en')!;
      await until(() => expect(textOf(el, '[part~="note"]')).toBe(norm(t.notTranslated(english))));
      expect(textOf(el, '[part~="heading"]')).toBe(DEMO_TEXTS.en.title);
    },
  },
  /** The widget's own checks: a required last name left empty and an email without a domain. */
  invalid: {
    title: 'Idle with field errors',
    msw: () => petitionScenarios.open({ petition: { lastName: 'required' } }),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context, { firstName: 'Ana', email: 'ana@example', country: 'CO' });
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, '#lastName-error')).toBe(t.lastNameMissing));
      expect(textOf(el, '#email-error')).toBe(t.emailInvalid);
      expect(get(el, '#lastName').getAttribute('aria-invalid')).toBe('true');
      expect(el.shadowRoot!.activeElement?.id, 'the first invalid field has the focus').toBe('lastName');
    },
  },
  /** "Remember me on this device" was ticked before (`localStorage['compa:supporter']`): "Sign as Ana G.". */
  'one-click-remembered': {
    title: 'One click: supporter remembered on this device',
    msw: () => petitionScenarios.open(),
    beforeEach: rememberAna,
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'one-click', locale);
      await until(() => expect(button(el, t.signAs('Ana G.'))).toBeTruthy());
      expect(button(el, t.notYou)).toBeTruthy();
      expect(shown($(el, 'form')), 'no form').toBe(false);
    },
  },
  /** The page was opened from an action link (`?compa_action=tok_valid_ana`): "Sign as Ana G.". */
  'one-click-action-link': {
    title: 'One click: action link',
    msw: () => petitionScenarios.open(),
    beforeEach: arriveWithToken(VALID_TOKEN),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'one-click', locale);
      await until(() => expect(button(el, t.signAs(TOKEN_NAME))).toBeTruthy());
      expect(new URL(location.href).searchParams.has(ACTION_PARAM), 'the token left the address bar').toBe(false);
    },
  },
  /** An expired action link: the form, with a word about the link. */
  'expired-link': {
    title: 'Expired action link',
    msw: () => petitionScenarios.open(),
    beforeEach: arriveWithToken('tok_expired'),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      await until(() => expect(textOf(el, 'form [part~="message"]')).toBe(t.expired));
    },
  },
  /** The server never answers: after the widget's own 15 s timeout the signature is kept on the device (offline). */
  submitting: {
    title: 'Submitting',
    msw: () => petitionScenarios.signSlow(),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context);
      await reach(el, 'submitting', locale);
      const submit = get(el, 'form button[type="submit"]');
      await until(() => expect(norm(submit.textContent)).toBe(t.signing));
      expect(submit.getAttribute('aria-disabled')).toBe('true');
    },
  },
  signed: {
    title: 'Signed: thanks and sharing',
    msw: () => petitionScenarios.open(),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context, { ...ANA, keepInformed: true });
      await reach(el, 'signed', locale);
      await until(() => expect(textOf(el, '#result')).toBe(t.signed));
      expect($(el, '[part~="share"]'), 'the sharing panel').not.toBeNull();
      expect(shown($(el, 'form')), 'no form').toBe(false);
      // The mock counts the signature and tells the live stream.
      await until(() => expect(textOf(el, '[part~="count"]')).toBe(norm(number(locale, 1235))));
      await expect(context.args.onCompaSign).toHaveBeenLastCalledWith(
        expect.objectContaining({ detail: { campaign: DEMO_SLUG, status: 'counted', locale } }),
      );
    },
  },
  /** The petition counts a signature once confirmed by email. */
  'check-inbox': {
    title: 'Check your inbox (verify before counting), with sharing',
    msw: () => petitionScenarios.verify(),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context);
      await reach(el, 'check-inbox', locale);
      await until(() => expect(textOf(el, '#result')).toBe(t.checkInbox));
      expect($(el, '[part~="share"]'), 'the sharing panel').not.toBeNull();
      expect(textOf(el, '[part~="count"]'), 'not counted yet').toBe(norm(number(locale, 1234)));
    },
  },
  closed: {
    title: 'Closed, with what happened',
    msw: () => petitionScenarios.closed(),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'closed', locale);
      await until(() => expect(textOf(el, '[part~="message"]')).toBe(t.closed));
      expect(textOf(el, '[part~="outcome"]')).toBe(DEMO_TEXTS[locale].outcome);
      expect($(el, 'form')).toBeNull();
      expect($(el, '[part~="deadline"]')).toBeNull();
    },
  },
  /** The petition closes between loading and signing: the signature gets a 409 and the outcome appears. */
  'closed-while-signing': {
    title: 'Closed while signing (409)',
    msw: () => petitionScenarios.closesOnSign(),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context);
      await reach(el, 'closed', locale);
      await until(() => expect(textOf(el, '[part~="message"]')).toBe(t.closed));
      await until(() => expect(textOf(el, '[part~="outcome"]')).toBe(DEMO_TEXTS[locale].outcome));
    },
  },
  /** The device is offline: the signature is saved and sent once the connection returns. */
  offline: {
    title: 'Offline: saved on the device',
    msw: () => petitionScenarios.offline(),
    play: async (context, t, locale) =>
      whileDeviceOffline(async () => {
        const el = await fillAndSubmit(context);
        await reach(el, 'offline', locale);
        await until(() => expect(textOf(el, '#result')).toBe(t.offline));
        await expect(context.args.onCompaQueued).toHaveBeenLastCalledWith(expect.objectContaining({ detail: { action: 'sign' } }));
      }),
  },
  /** Online, but the server can't be reached: saved on the device, and a button to try again now. */
  unreachable: {
    title: 'Server unreachable: saved on the device',
    msw: () => petitionScenarios.offline(),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context);
      await reach(el, 'offline', locale);
      await until(() => expect(textOf(el, '#result')).toBe(t.offline));
      expect(button(el, t.tryAgainNow)).toBeTruthy();
    },
  },
  error: {
    title: 'Error (server failure)',
    msw: () => petitionScenarios.serverError(),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context);
      await reach(el, 'error', locale);
      await until(() => expect(textOf(el, '[role="alert"]')).toBe(t.error));
      await expect(context.args.onCompaError).toHaveBeenLastCalledWith(
        expect.objectContaining({ detail: { code: 'internal', status: 500 } }),
      );
    },
  },
  'rate-limited': {
    title: 'Rate limited (429, retry in 2 minutes)',
    msw: () => petitionScenarios.rateLimited({ retryAfter: 120 }),
    play: async (context, t, locale) => {
      const el = await fillAndSubmit(context);
      await reach(el, 'rate-limited', locale);
      const when = new Intl.RelativeTimeFormat(locale).format(2, 'minute');
      await until(() => expect(textOf(el, '[role="alert"]')).toBe(norm(t.rateLimited(when))));
    },
  },
  /**
   * The counter moving: the play pushes counts through the mocked live stream (Server-Sent Events) past the goal
   * (announced once), then keeps pushing a few signatures every 2 seconds while the story is open.
   */
  live: {
    title: 'Live counter',
    msw: () => petitionScenarios.open({ petition: { count: 4980 } }),
    play: async (context, t, locale) => {
      const el = widget(context.canvasElement);
      await reach(el, 'idle', locale);
      await until(() => expect(openStreams()).toBeGreaterThan(0));
      const counted = () => textOf(el, '[part~="count"]');
      for (const n of [4987, 4996]) {
        pushCount({ count: n });
        await until(() => expect(counted()).toBe(norm(number(locale, n))));
      }
      expect(status(el), 'ticks are not announced').toBe('');
      pushCount({ count: 5003 });
      await until(() => expect(counted()).toBe(norm(number(locale, 5003))));
      await until(() => expect(status(el)).toBe(norm(t.reachedGoal)));
      expect(textOf(el, '[part~="goal"]')).toBe(norm(t.nextGoal(number(locale, 10000))));
      let count = 5003;
      clearInterval(ticker);
      ticker = setInterval(() => pushCount({ count: (count += 1 + (count % 3)) }), 2000);
    },
  },
} satisfies Record<string, StateSpec>;

/** A state in a locale. (Storybook's indexer names it after the export, e.g. `CheckInboxFr` → "Check Inbox Fr".) */
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

const meta: Meta<PetitionArgs> = {
  title: 'Widgets/Petition',
  component: 'compa-petition',
  beforeEach: resetPage,
  args: {
    campaign: DEMO_SLUG,
    lang: '',
    headingLevel: 2,
    shareUrl: '',
    noRemember: false,
    compact: false,
    onCompaReady: fn(),
    onCompaSign: fn(),
    onCompaShare: fn(),
    onCompaError: fn(),
    onCompaQueued: fn(),
  },
  argTypes: {
    campaign: { control: 'text', description: 'The petition’s slug (required)', table: { category: 'attributes' } },
    lang: {
      control: 'select',
      options: ['', 'en', 'es', 'fr', 'es-CO', 'de'],
      labels: { '': '(inherited: Locale toolbar)', 'es-CO': 'es-CO (→ es)', de: 'de (→ en)' },
      description: 'Language of the widget (`es-CO` → `es`, anything unsupported → `en`); default: the closest `lang`',
      table: { category: 'attributes' },
    },
    headingLevel: {
      name: 'heading-level',
      control: { type: 'number', min: 1, max: 6 },
      description: 'Level of the title in the page outline',
      table: { category: 'attributes' },
    },
    shareUrl: {
      name: 'share-url',
      control: 'text',
      description: 'The page to share (http/https); default: the petition’s `shareUrl`, else this page',
      table: { category: 'attributes' },
    },
    noRemember: {
      name: 'no-remember',
      control: 'boolean',
      description: 'Don’t offer "Remember me on this device"',
      table: { category: 'attributes' },
    },
    compact: {
      control: 'boolean',
      description: 'Show neither the summary nor the text (title, target, counter and form only)',
      table: { category: 'attributes' },
    },
    onCompaReady: { name: 'compa-ready', description: 'The petition loaded; `detail`: `{campaign}`', table: { category: 'events' } },
    onCompaSign: {
      name: 'compa-sign',
      description: "The server accepted a signature; `detail`: `{campaign, status: 'counted' | 'pending_verification', locale}`",
      table: { category: 'events' },
    },
    onCompaShare: { name: 'compa-share', description: 'A way to share was used; `detail`: `{campaign, channel}`', table: { category: 'events' } },
    onCompaError: { name: 'compa-error', description: 'A request failed; `detail`: `{code, status}`', table: { category: 'events' } },
    onCompaQueued: {
      name: 'compa-queued',
      description: "Offline: the signature was saved on the device; `detail`: `{action: 'sign'}`",
      table: { category: 'events' },
    },
  },
  render: (args, { id }) => html`<compa-petition
    api=${`https://demo.compa.test/${id}`}
    campaign=${args.campaign}
    lang=${args.lang || nothing}
    heading-level=${args.headingLevel}
    share-url=${args.shareUrl || nothing}
    ?no-remember=${args.noRemember}
    ?compact=${args.compact}
    @compa-ready=${args.onCompaReady}
    @compa-sign=${args.onCompaSign}
    @compa-share=${args.onCompaShare}
    @compa-error=${args.onCompaError}
    @compa-queued=${args.onCompaQueued}
  ></compa-petition>`,
};
export default meta;

/** Follows the toolbar's locale; change the attributes in the Controls panel. Answers take 400 ms. */
export const Playground: Story = { parameters: { msw: petitionScenarios.open({ latency: 400 }) } };

export const LoadingEn = story('loading', 'en');
export const LoadingEs = story('loading', 'es');
export const LoadingFr = story('loading', 'fr');
export const LoadErrorEn = story('load-error', 'en');
export const LoadErrorEs = story('load-error', 'es');
export const LoadErrorFr = story('load-error', 'fr');
export const NotFoundEn = story('not-found', 'en');
export const NotFoundEs = story('not-found', 'es');
export const NotFoundFr = story('not-found', 'fr');
export const IdleEn = story('idle', 'en');
export const IdleEs = story('idle', 'es');
export const IdleFr = story('idle', 'fr');
export const IdleLastNameRequiredEn = story('idle-last-name-required', 'en');
export const IdleLastNameRequiredEs = story('idle-last-name-required', 'es');
export const IdleLastNameRequiredFr = story('idle-last-name-required', 'fr');
export const IdleMinimalEn = story('idle-minimal', 'en');
export const IdleMinimalEs = story('idle-minimal', 'es');
export const IdleMinimalFr = story('idle-minimal', 'fr');
export const IdleCompactEn = story('idle-compact', 'en');
export const IdleCompactEs = story('idle-compact', 'es');
export const IdleCompactFr = story('idle-compact', 'fr');
export const IdleBelowThresholdEn = story('idle-below-threshold', 'en');
export const IdleBelowThresholdEs = story('idle-below-threshold', 'es');
export const IdleBelowThresholdFr = story('idle-below-threshold', 'fr');
export const IdlePastGoalEn = story('idle-past-goal', 'en');
export const IdlePastGoalEs = story('idle-past-goal', 'es');
export const IdlePastGoalFr = story('idle-past-goal', 'fr');
export const IdleClosesSoonEn = story('idle-closes-soon', 'en');
export const IdleClosesSoonEs = story('idle-closes-soon', 'es');
export const IdleClosesSoonFr = story('idle-closes-soon', 'fr');
export const NotTranslatedEs = story('not-translated', 'es');
export const NotTranslatedFr = story('not-translated', 'fr');
export const InvalidEn = story('invalid', 'en');
export const InvalidEs = story('invalid', 'es');
export const InvalidFr = story('invalid', 'fr');
export const OneClickRememberedEn = story('one-click-remembered', 'en');
export const OneClickRememberedEs = story('one-click-remembered', 'es');
export const OneClickRememberedFr = story('one-click-remembered', 'fr');
export const OneClickActionLinkEn = story('one-click-action-link', 'en');
export const OneClickActionLinkEs = story('one-click-action-link', 'es');
export const OneClickActionLinkFr = story('one-click-action-link', 'fr');
export const ExpiredLinkEn = story('expired-link', 'en');
export const ExpiredLinkEs = story('expired-link', 'es');
export const ExpiredLinkFr = story('expired-link', 'fr');
export const SubmittingEn = story('submitting', 'en');
export const SubmittingEs = story('submitting', 'es');
export const SubmittingFr = story('submitting', 'fr');
export const SignedEn = story('signed', 'en');
export const SignedEs = story('signed', 'es');
export const SignedFr = story('signed', 'fr');
export const CheckInboxEn = story('check-inbox', 'en');
export const CheckInboxEs = story('check-inbox', 'es');
export const CheckInboxFr = story('check-inbox', 'fr');
export const ClosedEn = story('closed', 'en');
export const ClosedEs = story('closed', 'es');
export const ClosedFr = story('closed', 'fr');
export const ClosedWhileSigningEn = story('closed-while-signing', 'en');
export const ClosedWhileSigningEs = story('closed-while-signing', 'es');
export const ClosedWhileSigningFr = story('closed-while-signing', 'fr');
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
export const LiveCounterEn = story('live', 'en');
export const LiveCounterEs = story('live', 'es');
export const LiveCounterFr = story('live', 'fr');
