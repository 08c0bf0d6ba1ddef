/**
 * `<compa-story-feed>` languages: the element's own locale for its messages, dates, country and language names (all
 * from `Intl`), the stories requested in it, a story shown in another language labelled ("In Spanish") with its
 * texts marked by their `lang`, and a change of language that fetches the stories again.
 */
import { expect } from '@open-wc/testing';
import { DEMO_STORIES, storyScenarios } from '../mocks/story-handlers.ts';
import { $, base, get, gets, norm, reach, speaks, text, until, useWidgetPage } from './common.helpers.ts';
import { RADIO, STATES, card, inState, loadMedia, loadMore, mount, read, shownIds, status, titles } from './story-feed.helpers.ts';

const mock = useWidgetPage({ restoreHtmlLang: true });

const [RIO, , WATER, , GUERRERO, PEACE] = DEMO_STORIES.map((s) => s.id);
const listRequests = () => gets('/api/v1/stories').filter((r) => new URL(r.url).pathname.endsWith('/stories'));
const langAsked = (i = 0) => new URL(listRequests()[i]!.url).searchParams.get('lang');
const meta = (el: HTMLElement & { shadowRoot: ShadowRoot | null }, id: string) =>
  [...el.shadowRoot!.querySelector(`[aria-labelledby="t-${id}"] [part~="meta"]`)!.querySelectorAll('span')].map((s) => norm(s.textContent));
const label = (el: HTMLElement & { shadowRoot: ShadowRoot | null }, id: string) =>
  norm(el.shadowRoot!.querySelector(`[aria-labelledby="t-${id}"] [part~="language"]`)?.textContent) || null;

describe('<compa-story-feed> languages', () => {
  it('English: a story only in Spanish is labelled "In Spanish", and its title, excerpt and alt text are marked `es`', async () => {
    const el = await mount();
    expect(langAsked()).to.equal('en');
    expect(label(el, RADIO)).to.equal('In Spanish');
    const c = card(el, RADIO);
    for (const part of ['title', 'excerpt', 'image']) {
      expect(c.querySelector(`[part~="${part}"]`)!.getAttribute('lang'), part).to.equal('es');
    }
    expect(c.querySelector('[part~="title"]')!.getAttribute('dir')).to.equal('auto');
    expect(c.querySelector('[part~="language"]')!.hasAttribute('lang'), 'the label is in the widget’s language').to.equal(false);
    expect(label(el, RIO), 'no label for a story in English').to.equal(null);
    expect(card(el, RIO).querySelector('[part~="title"]')!.getAttribute('lang')).to.equal('en');
    expect(base(el).getAttribute('lang')).to.equal('en');
  });

  it('lang="es": Spanish messages, dates and country names; a story only in English and French labelled "En inglés"', async () => {
    const el = await mount({ lang: 'es', limit: 5 });
    await speaks(el, 'es');
    expect(langAsked()).to.equal('es');
    expect(titles(el)[0]).to.equal('De vuelta a su tierra: las lideresas de Río Verde regresan a casa');
    expect(meta(el, RIO)).to.deep.equal(['Consejo Comunitario de Río Verde', 'Chocó, Colombia', '2 de noviembre de 2026', '4 min de lectura']);
    expect(meta(el, GUERRERO)).to.deep.equal(['Red de Periodistas de Guerrero', 'Guerrero, México', '1 de septiembre de 2026', '5 min de lectura']);
    expect(label(el, RADIO), 'in Spanish already').to.equal(null);
    expect(text(el, '[part~="more"]')).to.equal('Ver más historias');
    await loadMore(el);
    expect(label(el, PEACE)).to.equal('En inglés');
    expect(card(el, PEACE).querySelector('[part~="title"]')!.getAttribute('lang')).to.equal('en');
    expect(status(el)).to.equal('Se cargaron 4 historias más');
  });

  it('lang="fr-CA" → French: dates and names in French; Spanish and English stories labelled', async () => {
    const el = await mount({ lang: 'fr-CA', filters: true });
    await speaks(el, 'fr');
    expect(el.locale).to.equal('fr');
    expect(langAsked()).to.equal('fr');
    expect(meta(el, RIO)).to.deep.equal(['Consejo Comunitario de Río Verde', 'Chocó, Colombie', '2 novembre 2026', '4 min de lecture']);
    expect(meta(el, RADIO)).to.deep.equal(['Emisora Voces del Cauca', 'Cauca, Colombie', '20 octobre 2026', '6 min de lecture', 'En espagnol']);
    expect(label(el, WATER), 'no French: English').to.equal('En anglais');
    expect(titles(el)[4]).to.equal('Informer malgré tout : les journalistes de Guerrero');
    expect(get(el, '[part~="filters"]').getAttribute('aria-label')).to.equal('Thèmes');
    expect(text(el, '[part~="chip"]')).to.equal('Tous');
    expect(norm(el.shadowRoot!.querySelectorAll('[part~="chip"]')[1]!.textContent), 'the API’s labels, in French').to.equal('Terre');
  });

  it('a topic chosen is said in the widget’s language', async () => {
    const el = await mount({ lang: 'fr', filters: true });
    await speaks(el, 'fr');
    [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="chip"]')].find((b) => norm(b.textContent) === 'Paix')!.click();
    await until(() => status(el) === '1 récit affiché', () => `the count (it is "${status(el)}")`);
    expect(shownIds(el)).to.deep.equal([PEACE]);
  });

  it('a change of <html lang> re-renders and fetches the stories in the new language', async () => {
    document.documentElement.setAttribute('lang', 'en');
    const el = await mount();
    document.documentElement.setAttribute('lang', 'es');
    await speaks(el, 'es');
    await until(() => titles(el)[0] === 'De vuelta a su tierra: las lideresas de Río Verde regresan a casa', () => 'the Spanish stories');
    await reach(el, 'list');
    expect(langAsked(1)).to.equal('es');
  });

  it('errors in the widget’s language: 429 says when, in Spanish', async () => {
    mock.worker.use(...storyScenarios.rateLimited({ retryAfter: 120 }));
    const el = await mount({ lang: 'es' }, 'error');
    await speaks(el, 'es');
    expect(text(el, '[role="alert"]')).to.equal('Demasiadas solicitudes. Vuelve a intentarlo dentro de 2 minutos.');
    expect(text(el, '[part~="button"]')).to.equal('Intentar de nuevo');
  });

  it('the reader in French: its words in French, a Spanish story’s text marked `es`, the player’s placeholder marked `fr`', async () => {
    const el = await mount({ lang: 'fr' });
    await speaks(el, 'fr');
    await read(el, RADIO);
    expect(text(el, '[part~="back"]')).to.equal('Retour aux récits');
    expect(text(el, '[part~="link"]')).to.equal('Lire le récit complet');
    expect(get(el, '[part~="body"]').getAttribute('lang')).to.equal('es');
    expect(get(el, '#rt').getAttribute('lang')).to.equal('es');
    const p = get(el, '[part~="embed"] p');
    expect([p.getAttribute('lang'), norm(p.textContent)]).to.deep.equal(['fr', 'Contenu de www.youtube-nocookie.com : le charger vous connecte à ce site.']);
    expect(text(el, '[part~="embed"] button')).to.equal('Charger le contenu');
    loadMedia(el);
    await until(() => $(el, 'iframe'), () => 'the player');
  });
});

describe('<compa-story-feed> no English left in a translated widget', () => {
  const ENGLISH = /\b(stories|story|Load|Loading|Try again|Back to|Topics|Open the full|read|In Spanish|couldn’t|Media from|No stories|requests)\b/;
  for (const name of Object.keys(STATES)) {
    for (const locale of ['es', 'fr'] as const) {
      it(`${name}, ${locale}`, async () => {
        const el = await inState(mock.worker, name, locale);
        // The widget's own words: the text in its language (the stories' texts are marked with theirs).
        const walker = document.createTreeWalker(el.shadowRoot!, NodeFilter.SHOW_TEXT);
        let words = '';
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (n.parentElement!.closest('[lang]')?.getAttribute('lang') === locale) words += ' ' + n.textContent;
        }
        expect(norm(words).length, 'some words').to.be.greaterThan(0);
        expect(words).to.not.match(ENGLISH);
      });
    }
  }
});
