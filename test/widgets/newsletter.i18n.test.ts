/**
 * `<compa-newsletter>` languages: each element resolves its own locale (own `lang`, ancestors through shadow
 * roots, `<html lang>`), loads its messages lazily, tells the server and the page which one it used, and formats
 * numbers and relative times with `Intl` in that locale.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { DEMO_ORGANISATION, scenarios } from '../mocks/handlers.ts';
import {
  LOCALES,
  base,
  get,
  gets,
  posts,
  reach,
  speaks,
  until,
  useWidgetPage,
  visibleText,
  type Locale,
} from './common.helpers.ts';
import {
  STATES,
  fillAndSubmit,
  heading,
  inState,
  mount,
  uniqueApi,
  type CompaNewsletter,
} from './newsletter.helpers.ts';

const HEADING = {
  en: 'Subscribe to our newsletter',
  es: 'Suscríbete a nuestro boletín',
  fr: 'Abonnez-vous à notre lettre d’information',
};

const mock = useWidgetPage({ restoreHtmlLang: true });

const listsLocale = (i = 0) => new URL(gets()[i].url).searchParams.get('locale');

describe('<compa-newsletter> languages', () => {
  it('lang="es": Spanish messages, Spanish lists, and a Spanish consent text and locale sent', async () => {
    const el = await mount({ lang: 'es' });
    await speaks(el, 'es');
    expect(heading(el)).to.equal(HEADING.es);
    expect(visibleText(get(el, 'label[for="email"]'))).to.equal('Correo electrónico');
    expect(visibleText(get(el, 'form button[type="submit"]'))).to.equal('Suscribirme');
    expect(visibleText(get(el, 'label[for="list-monthly-bulletin"]'))).to.equal('Boletín mensual');
    expect(listsLocale()).to.equal('es');

    await fillAndSubmit(el);
    await reach(el, 'check-inbox');
    expect(heading(el)).to.equal('Revisa tu bandeja de entrada');
    expect(posts()[0].body).to.include({
      locale: 'es',
      consentText: `Doy mi consentimiento para recibir correos electrónicos de ${DEMO_ORGANISATION} y acepto su política de privacidad.`,
    });
  });

  it('lang="es-CO" → Spanish', async () => {
    const el = await mount({ lang: 'es-CO' });
    await speaks(el, 'es');
    expect(el.locale).to.equal('es');
    expect(heading(el)).to.equal(HEADING.es);
    expect(listsLocale()).to.equal('es');
  });

  it('an ancestor’s lang="fr" → French, also across a shadow root', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="fr"><compa-newsletter api=${uniqueApi()}></compa-newsletter></div>`);
    const el = wrapper.querySelector('compa-newsletter')!;
    await speaks(el, 'fr');
    expect(heading(el)).to.equal(HEADING.fr);

    const host = await fixture<HTMLDivElement>(html`<div lang="fr"></div>`);
    const inner = document.createElement('compa-newsletter');
    inner.setAttribute('api', uniqueApi());
    host.attachShadow({ mode: 'open' }).append(inner);
    await speaks(inner, 'fr');
    await reach(inner, 'idle');
    expect(heading(inner)).to.equal(HEADING.fr);
    expect(visibleText(get(inner, 'label[for="list-monthly-bulletin"]'))).to.equal('Bulletin mensuel');
  });

  it('a change of <html lang> re-renders at once, lists included', async () => {
    document.documentElement.setAttribute('lang', 'en');
    const el = await mount();
    expect(heading(el)).to.equal(HEADING.en);

    document.documentElement.setAttribute('lang', 'fr');
    await speaks(el, 'fr');
    expect(heading(el)).to.equal(HEADING.fr);
    await reach(el, 'idle');
    await until(() => gets().length === 2, () => `a second lists request (seen: ${gets().map((g) => g.url).join(', ')})`);
    expect(listsLocale(1)).to.equal('fr');
    await until(
      () => visibleText(get(el, 'label[for="list-monthly-bulletin"]')) === 'Bulletin mensuel',
      () => 'the French list names',
    );
  });

  it('a change of the element’s own lang re-renders it', async () => {
    const el = await mount({ lang: 'en' });
    el.setAttribute('lang', 'es');
    await speaks(el, 'es');
    expect(heading(el)).to.equal(HEADING.es);
  });

  it('two widgets with different languages on one page each keep their own', async () => {
    const page = await fixture<HTMLDivElement>(html`<div lang="en">
      <compa-newsletter api=${uniqueApi()} lang="es"></compa-newsletter>
      <compa-newsletter api=${uniqueApi()} lang="fr"></compa-newsletter>
      <compa-newsletter api=${uniqueApi()}></compa-newsletter>
    </div>`);
    const [es, fr, en] = [...page.querySelectorAll('compa-newsletter')];
    await Promise.all([speaks(es, 'es'), speaks(fr, 'fr'), reach(es, 'idle'), reach(fr, 'idle'), reach(en, 'idle')]);
    expect([heading(es), heading(fr), heading(en)]).to.deep.equal([HEADING.es, HEADING.fr, HEADING.en]);
    expect([base(es), base(fr), base(en)].map((b) => b.getAttribute('lang'))).to.deep.equal(['es', 'fr', 'en']);
    // Re-rendering one (an error on submit) leaves the other's language alone.
    await fillAndSubmit(fr, {});
    expect(visibleText(get(fr, '#email-error'))).to.equal('Saisissez votre adresse e-mail.');
    expect(heading(es)).to.equal(HEADING.es);
  });

  it('the base part carries the resolved language', async () => {
    const el = await mount({ lang: 'fr-CA' });
    await speaks(el, 'fr');
    expect(base(el).getAttribute('lang')).to.equal('fr');
    expect(el.getAttribute('lang'), 'the author’s attribute is left as written').to.equal('fr-CA');
  });

  it('an unknown language (lang="de") → English', async () => {
    const el = await mount({ lang: 'de' });
    expect(el.locale).to.equal('en');
    expect(base(el).getAttribute('lang')).to.equal('en');
    expect(heading(el)).to.equal(HEADING.en);
    expect(listsLocale()).to.equal('en');
  });

  describe('numbers and relative times in the rate-limited message', () => {
    const cases: Record<Locale, [number, RegExp][]> = {
      en: [
        [120, /^Too many attempts\. Please try again in 2 minutes\.$/],
        [30, /in 30 seconds\.$/],
        [90_000, /in 1,500 minutes\.$/],
      ],
      es: [
        [120, /^Demasiados intentos\. Vuelve a intentarlo dentro de 2 minutos\.$/],
        [30, /dentro de 30 segundos\.$/],
        [90_000, /dentro de 1500 minutos\.$/],
      ],
      fr: [
        [120, /^Trop de tentatives\. Veuillez réessayer dans 2 minutes\.$/],
        [30, /dans 30 secondes\.$/],
        [90_000, /dans 1[\u202f\u00a0]500 minutes\.$/], // French groups digits with a (narrow) no-break space
      ],
    };
    for (const locale of LOCALES) {
      it(`in ${locale}`, async () => {
        for (const [retryAfter, expected] of cases[locale]) {
          mock.worker.use(...scenarios.rateLimited({ retryAfter }));
          const el = await mount({ lang: locale });
          await speaks(el, locale);
          await fillAndSubmit(el);
          await reach(el, 'rate-limited');
          expect(get(el, '[role="alert"]').textContent!.trim().replace(/[ \n]+/g, ' ')).to.match(expected);
        }
      });
    }
  });

  describe('no English left in a translated widget, in any state', () => {
    /** Text segments of the rendered widget, server content (organisation, lists) excluded. */
    const segments = (el: CompaNewsletter): string[] =>
      visibleText(base(el))
        .split(/[.?!…]\s*/)
        .map((s) => s.replace(DEMO_ORGANISATION, '').trim())
        .filter((s) => s.length > 3);

    for (const name of Object.keys(STATES)) {
      it(name, async () => {
        // Lists with a translation in every locale: the server sends "Field reports" in English to French readers.
        const lists = 'monthly-bulletin,urgent-actions';
        const english = segments(await inState(mock.worker, name, 'en', { lists }));
        expect(english.length).to.be.greaterThan(0);
        for (const locale of ['es', 'fr'] as const) {
          const el = await inState(mock.worker, name, locale, { lists });
          const shown = visibleText(base(el));
          for (const text of english) {
            expect(shown, `${locale}: "${text}" is not translated`).not.to.contain(text);
          }
        }
      });
    }
  });
});
