/**
 * `<compa-story-feed>` in a real Chromium, against the mocked API (`test/mocks/story-handlers.ts`, checked with the
 * shared zod schemas): what a reader sees and does (layouts, cards, filters, chips, "Load more stories", the loading,
 * empty and error states), and what the page and the server receive (requests, events, aborts).
 * A story opened in place: story-feed.reader.test.ts; languages: story-feed.i18n.test.ts; accessibility and layout:
 * story-feed.a11y.test.ts.
 */
import { aTimeout, expect } from '@open-wc/testing';
import type { CompaErrorDetail, CompaReadyDetail } from '../../src/widgets/story-feed/compa-story-feed.ts';
import { delay, http } from 'msw';
import { DEMO_STORIES, STORY_MEDIA_URL, storyHandlers, storyScenarios } from '../mocks/story-handlers.ts';
import {
  $,
  $$,
  base,
  button,
  focused,
  get,
  gets,
  isShown,
  norm,
  reach,
  record,
  stateHistory,
  stub,
  text,
  until,
  useWidgetPage,
  visibleText,
} from './common.helpers.ts';
import { card, loadMore, mount, shownIds, status, storyLink, titles, uniqueApi } from './story-feed.helpers.ts';

const mock = useWidgetPage();

const [RIO, RADIO, WATER, AGUAN, GUERRERO, PEACE, ATRATO, WOMEN, CHIAPAS] = DEMO_STORIES.map((s) => s.id);
const ALL = DEMO_STORIES.map((s) => s.id);
/** The stories' list requests (not a story's detail, nor images). */
const listRequests = () => gets('/api/v1/stories').filter((r) => new URL(r.url).pathname.endsWith('/stories'));
const query = (i = 0) => new URL(listRequests()[i]!.url).searchParams;

describe('<compa-story-feed>: loading the stories', () => {
  it('shows placeholder cards while loading (busy, nothing said), then the first page as a list of articles', async () => {
    mock.worker.use(...storyHandlers({ latency: 300 }));
    const ready = record<CompaReadyDetail>(document, 'compa-ready');
    const api = uniqueApi();
    const el = await mount({ api }, null);
    expect(el.state).to.equal('loading');
    const list = get(el, '[part~="list"]');
    expect(list.getAttribute('aria-busy')).to.equal('true');
    expect($$(el, '[part~="list"] > li.sk').length, 'placeholder cards').to.be.greaterThan(0);
    expect($$(el, '[part~="list"] > li.sk').every((li) => li.getAttribute('aria-hidden') === 'true')).to.equal(true);
    expect(visibleText(base(el)), 'no text on screen but the placeholders').to.equal('');
    expect(norm(base(el).textContent)).to.contain('Loading stories…');
    expect(status(el), 'the live region says nothing while loading').to.equal('');

    await reach(el, 'list');
    expect(listRequests()[0]!.url).to.equal(`${api}/api/v1/stories?lang=en&limit=6`);
    expect(get(el, '[part~="list"]'), 'the same list element, no longer busy').to.equal(list);
    expect(list.getAttribute('aria-busy')).to.equal('false');
    expect([list.localName, list.getAttribute('role')]).to.deep.equal(['ul', 'list']);
    expect($$(el, '[part~="list"] > li > article[part~="card"]').length).to.equal(6);
    expect(shownIds(el)).to.deep.equal(ALL.slice(0, 6));
    expect(ready.map((e) => e.detail)).to.deep.equal([{ stories: ALL.slice(0, 6) }]);
    expect(status(el), 'the first load is not announced').to.equal('');
    expect(el.stories.map((s) => s.id)).to.deep.equal(ALL.slice(0, 6));
  });

  it('each article is named by its title: a heading (level 3 by default) holding a real link to the story', async () => {
    const api = uniqueApi();
    const el = await mount({ api });
    const article = card(el, RIO);
    const heading = get(el, `#t-${RIO}`);
    expect(article.getAttribute('aria-labelledby')).to.equal(heading.id);
    expect([heading.getAttribute('role'), heading.getAttribute('aria-level')]).to.deep.equal(['heading', '3']);
    expect(article.contains(heading)).to.equal(true);
    const link = storyLink(el, RIO);
    expect(link.href).to.equal(`${api}/stories/${RIO}?lang=en`);
    expect(norm(link.textContent)).to.equal('Back on their land: Río Verde’s leaders return home');
    expect(storyLink(el, WATER).href, 'the organisation’s own page').to.equal('https://brigadas.example.org/stories/huehuetenango-water');
  });

  it('`heading-level` sets the level of every title', async () => {
    const el = await mount({ headingLevel: 2 });
    expect($$(el, '[part~="title"]').map((h) => h.getAttribute('aria-level'))).to.deep.equal(Array(6).fill('2'));
  });

  it('grid (default): each card has its image, title, partner, place, date, reading time and excerpt', async () => {
    const el = await mount();
    expect(base(el).className).to.equal('grid');
    const c = card(el, RIO);
    expect($$(el, '[part~="card"]').every((x) => x.querySelector('[part~="title"]') && x.querySelector('[part~="meta"]') && x.querySelector('[part~="excerpt"]'))).to.equal(true);
    expect(c.querySelector('[part~="image"]'), 'the image').to.not.equal(null);
    expect([...c.querySelectorAll('[part~="meta"] > span')].map((s) => norm(s.textContent))).to.deep.equal([
      'Consejo Comunitario de Río Verde',
      'Chocó, Colombia',
      'November 2, 2026',
      '4 min read',
    ]);
    expect(c.querySelector('time')!.getAttribute('datetime')).to.equal('2026-11-02T14:00:00.000Z');
    expect(norm(c.querySelector('[part~="excerpt"]')!.textContent)).to.match(/^Three months after the threats/);
    // Cards side by side in a wide column; the image above the title on screen, after it in the reading order.
    const [a, b] = $$(el, '[part~="card"]').map((x) => x.getBoundingClientRect());
    expect(Math.abs(a!.top - b!.top), 'cards side by side').to.be.lessThan(1);
    const img = c.querySelector('[part~="image"]')!.getBoundingClientRect();
    expect(img.bottom).to.be.at.most(get(el, `#t-${RIO}`).getBoundingClientRect().top + 1);
    expect(c.firstElementChild!.getAttribute('part'), 'the title comes first to a screen reader').to.equal('title');
  });

  it('list: the image beside the text, one story a row', async () => {
    const el = await mount({ layout: 'list' });
    expect(base(el).className).to.equal('list');
    const [a, b] = $$(el, '[part~="card"]').map((x) => x.getBoundingClientRect());
    expect(b!.top, 'one story a row').to.be.at.least(a!.bottom);
    const c = card(el, RIO);
    const img = c.querySelector('[part~="image"]')!.getBoundingClientRect();
    const title = get(el, `#t-${RIO}`).getBoundingClientRect();
    expect(img.right, 'the image beside the title').to.be.at.most(title.left);
    expect(Math.abs(img.top - title.top)).to.be.lessThan(2);
    expect(c.querySelector('[part~="excerpt"]')).to.not.equal(null);
    // A story without an image uses the whole row.
    expect(get(el, `#t-${AGUAN}`).getBoundingClientRect().left).to.be.closeTo(card(el, AGUAN).getBoundingClientRect().left, 1);
  });

  it('compact: titles and one line of details, no image, no excerpt', async () => {
    const el = await mount({ layout: 'compact' });
    expect(base(el).className).to.equal('compact');
    expect($$(el, '[part~="image"]')).to.have.length(0);
    expect($$(el, '[part~="excerpt"]')).to.have.length(0);
    expect(gets('/media/'), 'no image requested').to.have.length(0);
    expect($$(el, '[part~="card"] [part~="meta"]')).to.have.length(6);
    const meta = card(el, PEACE).querySelector('[part~="meta"]')!;
    const line = parseFloat(getComputedStyle(meta).lineHeight);
    expect(meta.getBoundingClientRect().height, 'one line').to.be.lessThan(line * 1.5);
    expect(norm(meta.textContent)).to.equal('Escuela de Paz de Antioquia Antioquia, Colombia August 14, 2026 3 min read');
    // Separated on screen by a middle dot that screen readers don't read out.
    const spans = [...meta.querySelectorAll('span')];
    expect(spans.map((x) => getComputedStyle(x, '::after').content)).to.deep.equal(['"·" / ""', '"·" / ""', '"·" / ""', 'none']);
  });

  it('an unknown `layout` is a grid', async () => {
    const el = await mount({ layout: 'carousel' });
    expect(base(el).className).to.equal('grid');
  });

  it('images: from the API’s origin, lazy, async, with their size and alt text, in a box of one shape', async () => {
    const api = uniqueApi();
    const el = await mount({ api });
    const img = (id: string) => card(el, id).querySelector<HTMLImageElement>('[part~="image"]');
    const rio = img(RIO)!;
    expect([rio.src, rio.getAttribute('loading'), rio.getAttribute('decoding'), rio.getAttribute('width'), rio.getAttribute('height')]).to.deep.equal([
      `${api}/media/stories/${RIO}.svg`,
      'lazy',
      'async',
      '1200',
      '800',
    ]);
    expect(rio.alt).to.equal('Two women walk along a riverside path, followed by two accompaniment volunteers');
    expect(img(RADIO)!.getAttribute('lang'), 'the alt text’s language').to.equal('es');
    expect([img(RADIO)!.getAttribute('width'), img(RADIO)!.getAttribute('height')]).to.deep.equal(['1600', '900']);
    expect(img(WATER)!.getAttribute('alt'), 'decorative: empty alt').to.equal('');
    expect(img(AGUAN), 'no image').to.equal(null);
    // 3:2 and 16:9 images in boxes of the same shape, cropped (nothing jumps, the grid stays even).
    const ratio = (i: HTMLImageElement) => i.getBoundingClientRect().width / i.getBoundingClientRect().height;
    expect(ratio(rio)).to.be.closeTo(1.5, 0.02);
    expect(ratio(img(RADIO)!)).to.be.closeTo(1.5, 0.02);
    expect(getComputedStyle(rio).objectFit).to.equal('cover');
  });

  it('the box has its size before the image arrives (nothing jumps)', async () => {
    // Images take 300 ms to arrive (then the usual handler answers).
    mock.worker.use(http.get(STORY_MEDIA_URL, () => delay(300).then(() => undefined)));
    const el = await mount();
    const rio = card(el, RIO).querySelector<HTMLImageElement>('[part~="image"]')!;
    expect(rio.complete, 'not there yet').to.equal(false);
    const h = rio.getBoundingClientRect().height;
    expect(h).to.be.greaterThan(50);
    await until(() => rio.complete, () => 'the image loaded');
    expect(rio.getBoundingClientRect().height).to.be.closeTo(h, 0.5);
  });

  it('details left out when unknown: no partner, no region (the country alone), no reading time', async () => {
    const el = await mount();
    const meta = (id: string) => [...card(el, id).querySelectorAll('[part~="meta"] > span')].map((s) => norm(s.textContent));
    expect(meta(AGUAN)).to.deep.equal(['Honduras', 'September 18, 2026', '9 min read']);
    expect(meta(WATER)).to.deep.equal(['Consejo Maya Mam', 'Huehuetenango, Guatemala', 'October 5, 2026']);
  });
});

describe('<compa-story-feed>: filters', () => {
  it('`region`, `partner`, `tag` and `limit` go to the API, and the list shows what it answers', async () => {
    const el = await mount({ region: 'choco', limit: 10 });
    expect(query().get('region')).to.equal('choco');
    expect(query().get('limit')).to.equal('10');
    expect(shownIds(el)).to.deep.equal([RIO, ATRATO]);

    const byCountry = await mount({ region: 'gt' });
    expect(shownIds(byCountry)).to.deep.equal([WATER, WOMEN]);
    const byPartner = await mount({ partner: 'casa-del-migrante' });
    expect(query(2).get('partner')).to.equal('casa-del-migrante');
    expect(shownIds(byPartner)).to.deep.equal([CHIAPAS]);
    const byTag = await mount({ tag: 'media' });
    expect(query(3).get('tag')).to.equal('media');
    expect(shownIds(byTag)).to.deep.equal([RADIO, GUERRERO]);
  });

  it('a changed attribute loads the list afresh', async () => {
    const el = await mount();
    el.setAttribute('tag', 'peace');
    await until(() => shownIds(el).join() === PEACE, () => `the peace story (shown: ${shownIds(el)})`);
    expect(query(1).get('tag')).to.equal('peace');
    el.removeAttribute('tag');
    el.setAttribute('partner', 'cavida');
    await until(() => shownIds(el).join() === ATRATO, () => `CAVIDA's story (shown: ${shownIds(el)})`);
    expect([query(2).get('tag'), query(2).get('partner')]).to.deep.equal([null, 'cavida']);
  });

  it('`limit` is kept between 1 and 50 (default 6)', async () => {
    await mount({ limit: 100 });
    await mount({ limit: 0 });
    await mount({ limit: -3 });
    expect([0, 1, 2].map((i) => query(i).get('limit'))).to.deep.equal(['50', '6', '1']);
  });

  it('a changed filter aborts the request in flight; a late answer never shows', async () => {
    // "land" answers after 500 ms, "peace" at once: without the abort the late answer would replace the list.
    mock.worker.use(...storyHandlers({ latencyOf: (q) => (q.get('tag') === 'land' ? 500 : 0) }));
    const signals: AbortSignal[] = [];
    const realFetch = window.fetch;
    stub(window, 'fetch', ((input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).includes('/stories?')) signals.push(init!.signal!);
      return realFetch(input, init);
    }) as typeof fetch);
    const el = await mount({ tag: 'land' }, null);
    const seen = new Set<string>();
    new MutationObserver(() => shownIds(el).forEach((id) => seen.add(id))).observe(el.shadowRoot!, { subtree: true, childList: true });
    el.setAttribute('tag', 'peace');
    await reach(el, 'list');
    expect(shownIds(el)).to.deep.equal([PEACE]);
    expect(signals[0]!.aborted, 'the first request was aborted').to.equal(true);
    expect(signals[1]!.aborted).to.equal(false);
    await aTimeout(700);
    expect(shownIds(el), 'still the peace story').to.deep.equal([PEACE]);
    expect([...seen], 'the stories tagged "land" never appeared').to.deep.equal([PEACE]);
  });

  it('removed from the page while loading: the request is aborted; back in the page, it loads again', async () => {
    mock.worker.use(...storyHandlers({ latency: 300 }));
    const signals: AbortSignal[] = [];
    const realFetch = window.fetch;
    stub(window, 'fetch', ((input: RequestInfo | URL, init?: RequestInit) => {
      signals.push(init!.signal!);
      return realFetch(input, init);
    }) as typeof fetch);
    const el = await mount({}, null);
    const parent = el.parentElement!;
    el.remove();
    expect(signals).to.have.length(1);
    expect(signals[0]!.aborted).to.equal(true);
    parent.append(el);
    await reach(el, 'list');
    expect(signals).to.have.length(2);
    expect(shownIds(el)).to.have.length(6);
  });
});

describe('<compa-story-feed>: "Load more stories"', () => {
  it('appends the next page (cursor), keeps the cards shown, moves the focus to the first new story and says how many', async () => {
    const el = await mount({ limit: 4 });
    const first = $$(el, '[part~="card"]');
    expect(text(el, '[part~="more"]')).to.equal('Load more stories');
    expect(status(el)).to.equal('');
    await loadMore(el);
    expect(query(1).get('cursor')).to.equal('o4');
    expect(query(1).get('limit')).to.equal('4');
    expect(shownIds(el)).to.deep.equal(ALL.slice(0, 8));
    expect($$(el, '[part~="card"]').slice(0, 4), 'the same elements: nothing re-rendered under the reader').to.deep.equal(first);
    await until(() => focused(el) === storyLink(el, GUERRERO), () => `focus on the first new story (it is on "${norm(focused(el)?.textContent)}")`);
    expect(status(el)).to.equal('4 more stories loaded');
    expect(el.stories).to.have.length(8);

    await loadMore(el);
    expect(shownIds(el)).to.deep.equal(ALL);
    expect(focused(el)).to.equal(storyLink(el, CHIAPAS));
    expect(status(el), 'singular').to.equal('1 more story loaded');
    expect($(el, '[part~="more"]'), 'the last page: no more button').to.equal(null);
  });

  it('no button when everything fits in the first page', async () => {
    const el = await mount({ limit: 9 });
    expect(shownIds(el)).to.have.length(9);
    expect($(el, '[part~="more"]')).to.equal(null);
  });

  it('a second click while the page loads sends nothing more', async () => {
    mock.worker.use(...storyHandlers({ latencyOf: (q) => (q.get('cursor') ? 200 : 0) }));
    const el = await mount();
    const more = get(el, '[part~="more"]');
    more.click();
    await el.updateComplete;
    expect(more.getAttribute('aria-disabled')).to.equal('true');
    more.click();
    more.click();
    await until(() => shownIds(el).length === 9, () => 'the second page');
    expect(listRequests()).to.have.length(2);
  });

  it('a page that fails keeps the stories shown, says so beside the button, and the button tries again', async () => {
    mock.worker.use(...storyScenarios.pageFailure());
    const errors = record<CompaErrorDetail>(document, 'compa-error');
    const el = await mount();
    await loadMore(el);
    expect(el.state).to.equal('list');
    expect(shownIds(el), 'the stories stay').to.deep.equal(ALL.slice(0, 6));
    const error = get(el, '[part~="error"]');
    expect(norm(error.textContent)).to.equal('More stories couldn’t load. Check your connection and try again.');
    const more = get(el, '[part~="more"]');
    expect(more.getAttribute('aria-describedby')).to.equal(error.id);
    expect(status(el), 'said as well').to.equal('More stories couldn’t load. Check your connection and try again.');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'internal', status: 500 }]);

    mock.worker.resetHandlers(); // the server is back
    await loadMore(el);
    expect(shownIds(el)).to.deep.equal(ALL);
    expect($(el, '[part~="error"]'), 'the error is gone').to.equal(null);
    expect(status(el)).to.equal('3 more stories loaded');
  });
});

describe('<compa-story-feed>: topic chips (`filters`)', () => {
  it('"All" and the first page’s tags, as toggle buttons in a named group; one reloads the list and says the count', async () => {
    const el = await mount({ filters: true });
    const group = get(el, '[part~="filters"]');
    expect([group.getAttribute('role'), group.getAttribute('aria-label')]).to.deep.equal(['group', 'Topics']);
    const chips = () => $$<HTMLButtonElement>(el, '[part~="chip"]');
    // Most used first (land 5, threats 4, media 2, then one each, by label).
    expect(chips().map((c) => norm(c.textContent))).to.deep.equal(['All', 'Land', 'Threats', 'Free press', 'Migration', 'Peace', 'Water', 'Women defenders']);
    expect(chips().map((c) => c.getAttribute('aria-pressed'))).to.deep.equal(['true', ...Array(7).fill('false')]);

    const land = button(el, 'Land');
    const states = stateHistory(el);
    land.focus();
    land.click();
    await until(() => states.join() === 'loading,list', () => `loading, then the list (states: ${states})`);
    await el.updateComplete;
    expect(query(1).get('tag')).to.equal('land');
    expect(shownIds(el)).to.deep.equal([RIO, WATER, AGUAN, ATRATO, WOMEN]);
    expect(chips().map((c) => c.getAttribute('aria-pressed'))).to.deep.equal(['false', 'true', ...Array(6).fill('false')]);
    expect(chips(), 'the chips stay').to.have.length(8);
    expect(focused(el), 'the focus stays on the chip').to.equal(land);
    expect(status(el)).to.equal('Showing 5 stories');

    button(el, 'Peace').click();
    await until(() => status(el) === 'Showing 1 story', () => `the count (it is "${status(el)}")`);
    expect(shownIds(el)).to.deep.equal([PEACE]);

    button(el, 'All').click();
    await until(() => shownIds(el).length === 6, () => 'every story');
    expect(query(3).get('tag')).to.equal(null);
    expect(status(el)).to.equal('Showing 6 stories');
  });

  it('with `tag`, its chip is the one pressed first', async () => {
    const el = await mount({ filters: true, tag: 'water' });
    expect($$(el, '[aria-pressed="true"]').map((c) => norm(c.textContent))).to.deep.equal(['Water']);
  });

  it('without `filters`, no chips', async () => {
    const el = await mount();
    expect($(el, '[part~="filters"], [part~="chip"]')).to.equal(null);
  });

  it('a chip’s pressed state is said in words, not only by colour (a check mark)', async () => {
    const el = await mount({ filters: true });
    const all = button(el, 'All');
    expect(getComputedStyle(all, '::before').content).to.contain('✓');
    expect(getComputedStyle(button(el, 'Land'), '::before').content).to.equal('none');
  });
});

describe('<compa-story-feed>: empty and error states', () => {
  it('no story at all: "No stories yet."', async () => {
    mock.worker.use(...storyScenarios.empty());
    const ready = record<CompaReadyDetail>(document, 'compa-ready');
    const el = await mount({}, 'empty');
    expect(text(el, '[part~="message"]')).to.equal('No stories yet.');
    expect($(el, '[part~="list"]')).to.equal(null);
    expect(ready.map((e) => e.detail)).to.deep.equal([{ stories: [] }]);
  });

  it('none match the filter: "No stories match this filter."', async () => {
    const el = await mount({ region: 'pe' }, 'empty');
    expect(text(el, '[part~="message"]')).to.equal('No stories match this filter.');
  });

  it('the stories fail to load: an error and "Try again", which loads them (focus on the first story, count said)', async () => {
    mock.worker.use(...storyScenarios.loadFailure());
    const errors = record<CompaErrorDetail>(document, 'compa-error');
    const el = await mount({}, 'error');
    expect(text(el, '[role="alert"]')).to.equal('The stories couldn’t load. Check your connection and try again.');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'internal', status: 500 }]);
    expect($(el, '[part~="list"]')).to.equal(null);

    mock.worker.resetHandlers(); // the server is back
    button(el, 'Try again').click();
    await reach(el, 'list');
    expect(shownIds(el)).to.have.length(6);
    await until(() => focused(el) === storyLink(el, RIO), () => 'focus on the first story');
    expect(status(el)).to.equal('Showing 6 stories');
    expect($(el, '[role="alert"]')).to.equal(null);
  });

  it('offline: the same error, `network`/0 for the page', async () => {
    mock.worker.use(...storyScenarios.loadFailure({ kind: 'network' }));
    const errors = record<CompaErrorDetail>(document, 'compa-error');
    const el = await mount({}, 'error');
    expect(text(el, '[role="alert"]')).to.equal('The stories couldn’t load. Check your connection and try again.');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'network', status: 0 }]);
  });

  it('rate limited (429): says when to try again', async () => {
    mock.worker.use(...storyScenarios.rateLimited({ retryAfter: 120 }));
    const errors = record<CompaErrorDetail>(document, 'compa-error');
    const el = await mount({}, 'error');
    expect(text(el, '[role="alert"]')).to.equal('Too many requests. Please try again in 2 minutes.');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'rate_limited', status: 429 }]);
    expect(isShown(button(el, 'Try again'))).to.equal(true);
  });
});
