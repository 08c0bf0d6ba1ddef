/**
 * `<compa-story-feed>` accessibility (WCAG 2.2 AA) and layout: axe-core in every state × every locale, the
 * structure (a list of articles named by their headings), keyboard use with a visible focus, right to left, reflow
 * at 320 px with targets of at least 24 × 24 px, and reduced motion.
 */
import { expect, html } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import {
  $$,
  LOCALES,
  RTL_VARIANTS,
  base,
  expectReflowAt320,
  focused,
  get,
  isShown,
  itPassesAxeInEveryState,
  narrow,
  norm,
  operable,
  reach,
  tabbing,
  until,
  useWidgetPage,
} from './common.helpers.ts';
import { RADIO, STATES, card, inState, loadMore, mount, read, storyLink, uniqueApi, widgetTemplate, type CompaStoryFeed } from './story-feed.helpers.ts';
import { DEMO_STORIES } from '../mocks/story-handlers.ts';
import { fixture } from '@open-wc/testing';

const mock = useWidgetPage();

const [RIO, , WATER] = DEMO_STORIES.map((s) => s.id);
/** Everything a reader can operate (visible buttons, links, players). */
const controls = (el: CompaStoryFeed) => operable(el, 'button, a[href], iframe');

describe('<compa-story-feed> passes axe', () => {
  itPassesAxeInEveryState(mock, STATES, inState);
});

describe('<compa-story-feed> structure', () => {
  it('a list of articles, each named by its heading; the placeholders while loading are hidden from assistive technology', async () => {
    const el = await mount({ limit: 3 });
    const items = $$(el, '[part~="list"] > li');
    expect(items).to.have.length(3);
    for (const li of items) {
      const article = li.firstElementChild!;
      expect(article.localName).to.equal('article');
      const heading = el.shadowRoot!.getElementById(article.getAttribute('aria-labelledby')!)!;
      expect(heading.getAttribute('role')).to.equal('heading');
      expect(heading.querySelector('a[href]'), 'the heading holds the link').to.not.equal(null);
    }
  });
});

describe('<compa-story-feed> keyboard', () => {
  it('Tab goes chips → each story’s link → "Load more stories", with a visible focus ring; Enter loads more', async () => {
    const el = await mount({ filters: true, limit: 2 });
    get(el, '[part~="chip"]').focus();
    const { order, tab } = tabbing(el);
    for (let i = 0; i < 9; i++) await tab();
    expect(order).to.deep.equal([
      'Land',
      'Threats',
      'Free press',
      'Migration',
      'Peace',
      'Water',
      'Women defenders',
      'Back on their land: Río Verde’s leaders return home',
      'Voces del Cauca: la radio comunitaria que no se deja callar',
    ]);
    await tab();
    expect(norm(focused(el)?.textContent)).to.equal('Load more stories');
    const ring = getComputedStyle(focused(el)!);
    expect([ring.outlineStyle, ring.outlineWidth]).to.deep.equal(['solid', '3px']);
    await sendKeys({ press: 'Enter' });
    await until(() => focused(el) === storyLink(el, WATER), () => 'focus on the first new story');
    const link = getComputedStyle(focused(el)!);
    expect([link.outlineStyle, link.outlineWidth], 'a story’s link shows its focus too').to.deep.equal(['solid', '3px']);
  });

  it('Space or Enter on a chip chooses it (a real button)', async () => {
    const el = await mount({ filters: true });
    const chips = $$(el, '[part~="chip"]');
    chips[2]!.focus();
    await sendKeys({ press: 'Space' });
    await until(() => chips[2]!.getAttribute('aria-pressed') === 'true', () => 'the chip pressed');
    await reach(el, 'list');
  });
});

describe('<compa-story-feed> right to left', () => {
  for (const [variant, options] of Object.entries(RTL_VARIANTS)) {
    it(`mirrors the layouts (${variant})`, async () => {
      const grid = await inState(mock.worker, 'grid', 'en', options);
      expect(getComputedStyle(base(grid)).direction).to.equal('rtl');
      const [a, b] = $$(grid, '[part~="card"]').map((c) => c.getBoundingClientRect());
      expect(a!.left, 'the first card on the right').to.be.greaterThan(b!.left);
      await expect(grid).to.be.accessible();

      const list = await inState(mock.worker, 'list', 'en', options);
      const c = card(list, RIO);
      const img = c.querySelector('[part~="image"]')!.getBoundingClientRect();
      expect(img.left, 'the image right of the text').to.be.at.least(list.shadowRoot!.getElementById(`t-${RIO}`)!.getBoundingClientRect().right - 1);

      const error = await inState(mock.worker, 'error', 'en', options);
      const alert = getComputedStyle(get(error, '[role="alert"]'));
      expect([alert.borderRightWidth, alert.borderLeftWidth]).to.deep.equal(['4px', '0px']);
      const box = base(error).getBoundingClientRect();
      expect(Math.abs(get(error, '[part~="button"]').getBoundingClientRect().right - box.right), '"Try again" starts on the right').to.be.lessThan(2);
    });
  }

  it('is left to right by default (the same checks fail the other way round)', async () => {
    const grid = await inState(mock.worker, 'grid', 'en');
    const [a, b] = $$(grid, '[part~="card"]').map((c) => c.getBoundingClientRect());
    expect(a!.left).to.be.lessThan(b!.left);
    const error = await inState(mock.worker, 'error', 'en');
    expect(getComputedStyle(get(error, '[role="alert"]')).borderLeftWidth).to.equal('4px');
  });

  it('the stories’ texts keep their own direction in a right-to-left widget', async () => {
    const el = await mount({ dir: 'rtl' });
    for (const part of ['title', 'excerpt']) {
      const node = card(el, RIO).querySelector<HTMLElement>(`[part~="${part}"]`)!;
      expect(node.getAttribute('dir'), part).to.equal('auto');
      expect(getComputedStyle(node).direction, `${part}: English stays left to right`).to.equal('ltr');
    }
  });

  it('the reader’s "Back to stories" arrow points the way back (mirrored)', async () => {
    const el = await mount({ dir: 'rtl' });
    await read(el, RIO);
    expect(getComputedStyle(get(el, '[part~="back"]'), '::before').transform).to.not.equal('none');
    const ltr = await mount();
    await read(ltr, RIO);
    expect(getComputedStyle(get(ltr, '[part~="back"]'), '::before').transform).to.equal('none');
  });
});

describe('<compa-story-feed> at 320 px wide: no horizontal overflow, targets ≥ 24 × 24 px', () => {
  for (const name of Object.keys(STATES)) {
    for (const locale of LOCALES) {
      it(`${name}, ${locale}`, async () => {
        const el = await inState(mock.worker, name, locale, { wrap: narrow, filters: true });
        // Links inside the story's text are exempt from 2.5.8 (inline targets).
        expectReflowAt320(el, controls(el), (control) => !!control.closest('[part~="body"]') && !control.closest('[part~="embed"]') && control.localName === 'a');
      });
    }
  }

  it('one column of cards at 320 px, and still fits at 200 % text size', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width:320px;font-size:32px">${widgetTemplate({ api: uniqueApi(), filters: true })}</div>`);
    const el = wrapper.querySelector('compa-story-feed')!;
    await reach(el, 'list');
    const [a, b] = $$(el, '[part~="card"]').map((c) => c.getBoundingClientRect());
    expect(b!.top).to.be.at.least(a!.bottom);
    expect(base(el).scrollWidth).to.be.at.most(base(el).clientWidth);
    await loadMore(el);
    await read(el, RADIO);
    expect(base(el).scrollWidth).to.be.at.most(base(el).clientWidth);
  });
});

describe('<compa-story-feed> motion', () => {
  it('the loading placeholders pulse, except with prefers-reduced-motion', async () => {
    const el = await inState(mock.worker, 'loading', 'en');
    const sk = get(el, '.sk');
    expect(getComputedStyle(sk).animationName).to.equal('p');
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(getComputedStyle(sk).animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });
});

describe('<compa-story-feed> whole-card target', () => {
  it('a click anywhere on a card opens its story (the link covers the card); the excerpt is still there to read', async () => {
    const el = await mount();
    const c = card(el, WATER);
    c.scrollIntoView();
    const excerpt = c.querySelector('[part~="excerpt"]')!.getBoundingClientRect();
    const hit = el.shadowRoot!.elementFromPoint(excerpt.left + 5, excerpt.top + 5);
    expect(hit === storyLink(el, WATER), 'the story’s link is under the pointer').to.equal(true);
    expect(isShown(c.querySelector('[part~="excerpt"]')!)).to.equal(true);
  });
});
