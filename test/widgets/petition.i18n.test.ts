/**
 * `<compa-petition>` languages: the element's own locale for its messages, the petition's texts requested in it
 * (and marked when shown in a fallback language), the locale sent with the signature, and no English left in a
 * translated widget in any state.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { DEMO_ORGANISATION } from '../mocks/handlers.ts';
import { DEMO_TEXTS, petitionScenarios } from '../mocks/petition-handlers.ts';
import {
  base,
  get,
  gets,
  posts,
  reach,
  speaks,
  stub,
  text,
  until,
  useWidgetPage,
  visibleText,
  type Locale,
} from './common.helpers.ts';
import { STATES, fillAndSubmit, inState, mount, uniqueApi, withoutShareSheet, type CompaPetition } from './petition.helpers.ts';

const mock = useWidgetPage({ setUp: withoutShareSheet, restoreHtmlLang: true });

const petitionLocale = (i = 0) => new URL(gets('/petitions/').filter((r) => r.url.includes('?locale='))[i].url).searchParams.get('locale');

describe('<compa-petition> languages', () => {
  it('lang="es": Spanish messages, the Spanish petition, and `locale: es` sent with the signature', async () => {
    const el = await mount({ lang: 'es' });
    await speaks(el, 'es');
    expect(petitionLocale()).to.equal('es');
    expect(text(el, '[part~="heading"]')).to.equal(DEMO_TEXTS.es.title);
    expect(text(el, '[part~="target"]')).to.equal(`Dirigida a: ${DEMO_TEXTS.es.target}`);
    expect(visibleText(get(el, 'label[for="firstName"]'))).to.equal('Nombre');
    expect(visibleText(get(el, 'form button[type="submit"]'))).to.equal('Firmar');
    expect(text(el, '[part~="goal"]')).to.equal('Objetivo: 5000');
    expect(get(el, '[role="progressbar"]').getAttribute('aria-valuetext')).to.equal('1234 de 5000 firmas');
    expect(get<HTMLOptionElement>(el, '#country option[value="DE"]').textContent).to.equal('Alemania');
    await fillAndSubmit(el, { firstName: 'Ana', email: 'ana@example.org', country: 'CO', keepInformed: true });
    await reach(el, 'signed');
    expect(posts()[0].body).to.include({
      locale: 'es',
      consentText: `Quiero recibir novedades por correo: «Acciones urgentes» de ${DEMO_ORGANISATION} (política de privacidad).`,
    });
    expect(text(el, '#result')).to.equal('¡Gracias! Tu firma ya cuenta.');
  });

  it('lang="fr-CA" → French; an ancestor’s lang works too', async () => {
    const el = await mount({ lang: 'fr-CA' });
    await speaks(el, 'fr');
    expect(el.locale).to.equal('fr');
    expect(petitionLocale()).to.equal('fr');
    expect(text(el, 'form button[type="submit"]')).to.equal('Signer');
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="es"><compa-petition api=${uniqueApi()} campaign="protect-land-defenders"></compa-petition></div>`,
    );
    const inner = wrapper.querySelector('compa-petition')!;
    await speaks(inner, 'es');
    await reach(inner, 'idle');
    expect(text(inner, '[part~="heading"]')).to.equal(DEMO_TEXTS.es.title);
  });

  it('a petition not translated into the widget’s language says so, small, and marks its texts’ language', async () => {
    mock.worker.use(...petitionScenarios.fallback());
    const el = await mount({ lang: 'fr' });
    await speaks(el, 'fr');
    expect(text(el, '[part~="note"]')).to.equal('Pas encore traduit : affiché en anglais.');
    expect(parseFloat(getComputedStyle(get(el, '[part~="note"]')).fontSize)).to.be.lessThan(
      parseFloat(getComputedStyle(get(el, '[part~="summary"]')).fontSize),
    );
    expect(text(el, '[part~="heading"]')).to.equal(DEMO_TEXTS.en.title);
    expect(get(el, '[part~="heading"]').getAttribute('lang')).to.equal('en');
    expect(get(el, '[part~="summary"]').getAttribute('lang')).to.equal('en');
    expect(get(el, '[part~="target"] span').getAttribute('lang')).to.equal('en');
    expect(base(el).getAttribute('lang'), 'the widget’s own messages stay French').to.equal('fr');

    const translated = await mount({ lang: 'es' });
    expect(translated.shadowRoot!.querySelector('[part~="note"]'), 'no note when translated').to.equal(null);
  });

  it('a change of <html lang> re-renders at once and fetches the petition in the new language', async () => {
    document.documentElement.setAttribute('lang', 'en');
    const el = await mount();
    document.documentElement.setAttribute('lang', 'es');
    await speaks(el, 'es');
    await until(() => text(el, '[part~="heading"]') === DEMO_TEXTS.es.title, () => 'the Spanish title');
    expect(petitionLocale(1)).to.equal('es');
    expect(el.state).to.equal('idle');
  });

  it('an unknown language (lang="de") → English', async () => {
    const el = await mount({ lang: 'de' });
    expect(el.locale).to.equal('en');
    expect(base(el).getAttribute('lang')).to.equal('en');
    expect(petitionLocale()).to.equal('en');
  });

  describe('no English left in a translated widget, in any state', () => {
    /** Text segments of the rendered widget, server content (the petition, organisation, country names) excluded. */
    const segments = (el: CompaPetition, locale: Locale): string[] => {
      let t = visibleText(base(el));
      const texts = DEMO_TEXTS[locale];
      for (const s of [texts.title, texts.summary, texts.target, texts.outcome, texts.keepInformed, DEMO_ORGANISATION]) t = t.split(s).join(' ');
      return t
        .split(/[.?!…:()]\s*/)
        .map((s) => s.trim())
        .filter((s) => s.length > 3 && !/^[\d\s,.\u202f]+$/.test(s));
    };
    const FOREIGN_OK = /^(WhatsApp|Signal|Telegram|Bluesky|Mastodon|X|Facebook)( |$)/;

    for (const name of Object.keys(STATES)) {
      it(name, async () => {
        const english = segments(await inState(mock.worker, name, 'en', { compact: true }), 'en');
        for (const locale of ['es', 'fr'] as const) {
          await mock.reset();
          const translated = segments(await inState(mock.worker, name, locale, { compact: true }), locale).join(' | ');
          for (const s of english) {
            if (FOREIGN_OK.test(s)) continue;
            // Whole words only ("Sign" is English, "Signer" French).
            const escaped = s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            expect(translated, `${locale}: "${s}" left in English`).not.to.match(new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, 'u'));
          }
        }
      });
    }
  });
});


describe('<compa-petition> languages: review fixes', () => {
  it('a language change keeps the country the supporter chose (the list is re-sorted in the new language)', async () => {
    stub(navigator, 'languages', ['en'] as readonly string[]);
    const el = await mount({ lang: 'en' });
    const select = get<HTMLSelectElement>(el, '#country');
    select.value = 'DE';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    el.setAttribute('lang', 'fr');
    await speaks(el, 'fr');
    await until(() => get(el, 'option[value="DE"]').textContent === 'Allemagne', () => 'French country names');
    expect(get<HTMLSelectElement>(el, '#country').value).to.equal('DE');
    expect(get<HTMLSelectElement>(el, '#country').selectedOptions[0].textContent).to.equal('Allemagne');
    await fillAndSubmit(el, { firstName: 'Ana', email: 'ana@example.org' });
    await reach(el, 'signed');
    expect(posts()[0].body).to.include({ country: 'DE', locale: 'fr' });
  });

  it('the petition’s text carries its language (and direction) too, not only its title and summary', async () => {
    mock.worker.use(...petitionScenarios.fallback());
    const el = await mount({ lang: 'fr', dir: 'rtl' });
    await speaks(el, 'fr');
    const body = get(el, '[part~="body"] > div');
    expect(body.getAttribute('lang'), '3.1.2: English text read as English').to.equal('en');
    for (const selector of ['[part~="heading"]', '[part~="summary"]', '[part~="target"] span', '[part~="body"] > div']) {
      expect(get(el, selector).getAttribute('dir'), selector).to.equal('auto');
    }
    expect(getComputedStyle(get(el, '[part~="summary"]')).direction, 'English text stays left to right in a right-to-left widget').to.equal('ltr');
  });
});

describe('<compa-petition> a language change while signing', () => {
  it('sends once, with the language and consent text shown at the click; thanks in the new language', async () => {
    mock.worker.use(...petitionScenarios.signSlow({ signLatency: 300 }));
    const el = await mount({ lang: 'en' });
    await fillAndSubmit(el, { firstName: 'Ana', email: 'ana@example.org', country: 'CO', keepInformed: true });
    await reach(el, 'submitting');
    el.setAttribute('lang', 'es');
    await speaks(el, 'es');
    await reach(el, 'signed');
    expect(posts()).to.have.length(1);
    expect(posts()[0].body).to.include({ locale: 'en', consentText: `Keep me informed by email: “Urgent actions” from ${DEMO_ORGANISATION} (privacy policy).` });
    expect(text(el, '#result')).to.equal('¡Gracias! Tu firma ya cuenta.');
    await until(() => text(el, '[part~="heading"]') === DEMO_TEXTS.es.title, () => 'the Spanish petition');
  });
});
