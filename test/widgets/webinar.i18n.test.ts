/**
 * `<compa-webinar>` languages: the element's own locale for its messages, dates, time-zone names and language names
 * (all from `Intl`), the webinar requested in it (and marked when shown in a fallback language), the locale and
 * consent text sent with the registration, and no English left in a translated widget in any state.
 */
import { expect } from '@open-wc/testing';
import { DEMO_ORGANISATION } from '../mocks/handlers.ts';
import { DEMO_WEBINAR_TEXTS, webinarScenarios } from '../mocks/webinar-handlers.ts';
import { base, get, gets, posts, reach, speaks, text, until, useWidgetPage, visibleText, type Locale } from './common.helpers.ts';
import { ANSWERS, DEMO_SERIES, STATES, VALID, fillAndSubmit, inState, mount, openFromList, webinarData, type CompaWebinar } from './webinar.helpers.ts';

const mock = useWidgetPage({ restoreHtmlLang: true });

const webinarLocale = (i = 0) => new URL(gets('/webinars').filter((r) => r.url.includes('locale='))[i].url).searchParams.get('locale');
/**
 * The demo's times, fixed: Thursday 10 December 2037, 16:00–17:30 in Madrid, 10:00–11:30 in Bogotá (years ahead:
 * the widget's state follows the clock, and a past webinar is closed to registration).
 */
const TIMES = { start: '2037-12-10T15:00:00Z', end: '2037-12-10T16:30:00Z' };
const thisYear = new Date().getFullYear() === 2037;

describe('<compa-webinar> languages', () => {
  it('lang="es": Spanish messages, time, zone and language names, the Spanish webinar, and `locale: es` sent', async () => {
    mock.worker.use(...webinarScenarios.questions({ webinar: TIMES }));
    const el = await mount({ lang: 'es', timeZone: 'Europe/Madrid' });
    await speaks(el, 'es');
    expect(webinarLocale()).to.equal('es');
    expect(text(el, '[part~="heading"]')).to.equal(DEMO_WEBINAR_TEXTS.es.title);
    expect(text(el, '[part~="time"] > time')).to.equal(`jueves, 10 de diciembre${thisYear ? '' : ' de 2037'}, 16:00–17:30 hora estándar de Europa central`);
    expect(text(el, '[part~="event-time"]')).to.equal('(10:00–11:30 hora estándar de Colombia, hora local del evento)');
    expect(text(el, '[part~="language"]')).to.equal('Idioma: español Interpretación al inglés y al francés');
    expect(get(el, '[part~="speakers"]').getAttribute('aria-label')).to.equal('Ponentes');
    expect(visibleText(get(el, 'label[for="name"]'))).to.equal('Nombre');
    expect(visibleText(get(el, 'label[for="q-organisation"]'))).to.equal(DEMO_WEBINAR_TEXTS.es.questions.organisation);
    expect(visibleText(get(el, 'form button[type="submit"]'))).to.equal('Inscribirme');
    await fillAndSubmit(el, { ...VALID, answers: ANSWERS });
    await reach(el, 'registered');
    expect(posts()[0].body).to.include({
      locale: 'es',
      consentText: `Doy mi consentimiento para que ${DEMO_ORGANISATION} use mis datos para organizar este webinario y acepto su política de privacidad.`,
    });
    expect(text(el, '#result')).to.equal(
      'Revisa tu correo: te hemos enviado los detalles de tu inscripción. ¿No ha llegado en unos minutos? Mira en la carpeta de correo no deseado.',
    );
  });

  it('lang="fr-CA" → French: time, zone names and language names from the browser, in French', async () => {
    mock.worker.use(...webinarScenarios.nearlyFull({ placesLeft: 1, webinar: TIMES }));
    const el = await mount({ lang: 'fr-CA', timeZone: 'Europe/Madrid' });
    await speaks(el, 'fr');
    expect(el.locale).to.equal('fr');
    expect(webinarLocale()).to.equal('fr');
    expect(text(el, '[part~="time"] > time')).to.equal(`jeudi 10 décembre${thisYear ? '' : ' 2037'}, 16:00 – 17:30 heure normale d’Europe centrale`);
    expect(text(el, '[part~="event-time"]')).to.equal('(10:00 – 11:30 heure normale de Colombie, heure locale de l’événement)');
    expect(text(el, '[part~="language"]')).to.equal('Langue : espagnol Interprétation en anglais et en français');
    expect(text(el, '[part~="places"]')).to.equal('Il ne reste qu’une place');
    expect(text(el, 'form button[type="submit"]')).to.equal('M’inscrire');
  });

  it('a webinar not translated into the widget’s language says so, and marks its texts’ language', async () => {
    mock.worker.use(...webinarScenarios.fallback());
    const el = await mount({ lang: 'fr' });
    await speaks(el, 'fr');
    expect(text(el, '[part~="note"]')).to.equal('Pas encore traduit : affiché en anglais.');
    expect(text(el, '[part~="heading"]')).to.equal(DEMO_WEBINAR_TEXTS.en.title);
    for (const selector of ['[part~="heading"]', '[part~="description"]', '[part~="speaker"] strong']) {
      expect(get(el, selector).getAttribute('lang'), selector).to.equal('en');
    }
    expect(base(el).getAttribute('lang'), 'the widget’s own messages stay French').to.equal('fr');
  });

  it('a change of <html lang> re-renders at once and fetches the webinar in the new language', async () => {
    document.documentElement.setAttribute('lang', 'en');
    const el = await mount();
    document.documentElement.setAttribute('lang', 'es');
    await speaks(el, 'es');
    await until(() => text(el, '[part~="heading"]') === DEMO_WEBINAR_TEXTS.es.title, () => 'the Spanish title');
    expect(webinarLocale(1)).to.equal('es');
    expect(el.state).to.equal('idle');
  });

  it('a series: a language change keeps the webinar that is open, now in the new language', async () => {
    mock.worker.use(...webinarScenarios.series());
    const el = await mount({ series: DEMO_SERIES, lang: 'en' }, 'list');
    await openFromList(el, 'talk-lawyers');
    el.setAttribute('lang', 'fr');
    await speaks(el, 'fr');
    await until(() => text(el, '[part~="heading"]') === DEMO_WEBINAR_TEXTS.fr.series[1], () => 'the French title');
    expect(el.state).to.equal('idle');
    expect(text(el, '#back')).to.equal('Tous les webinaires');
  });

  it('an unknown language (lang="de") → English', async () => {
    const el = await mount({ lang: 'de', data: webinarData() });
    expect(el.locale).to.equal('en');
    expect(base(el).getAttribute('lang')).to.equal('en');
  });

  describe('no English left in a translated widget, in any state', () => {
    /** Text segments of the rendered widget, server content (the webinar's texts, names, dates) excluded. */
    const segments = (el: CompaWebinar, locale: Locale): string[] => {
      let t = visibleText(base(el));
      const x = DEMO_WEBINAR_TEXTS[locale];
      const server = [x.title, ...x.description.split('\n'), x.organisation, ...Object.values(x.questions), ...Object.values(x.options), ...x.series];
      for (const s of [...server, DEMO_ORGANISATION, 'Ana Lucía Gómez', 'Jonas Weber']) t = t.split(s).join(' ');
      // Dates and times come from Intl in the widget's language (checked above).
      for (const time of el.shadowRoot!.querySelectorAll('time')) t = t.split(time.textContent!).join(' ');
      return t
        .split(/[.?!…:()]\s*/)
        .map((s) => s.trim())
        .filter((s) => s.length > 3 && !/^[\d\s,.\u202f]+$/.test(s));
    };

    for (const name of Object.keys(STATES)) {
      it(name, async () => {
        const english = segments(await inState(mock.worker, name, 'en'), 'en');
        for (const locale of ['es', 'fr'] as const) {
          await mock.reset();
          const translated = segments(await inState(mock.worker, name, locale), locale).join(' | ');
          for (const s of english) {
            const escaped = s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            expect(translated, `${locale}: "${s}" left in English`).not.to.match(new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, 'u'));
          }
        }
      });
    }
  });
});
