/**
 * `<compa-story-feed>`: a story opened in place (the reader, a lazily loaded chunk). Opening and going back (focus
 * and the list intact), the links that must stay links (modifier clicks, `no-reader`, a page that cancels
 * `compa-story-open`), a story withdrawn meanwhile, the body sanitised again in the browser, and third-party media
 * that load nothing until the reader asks.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { CompaErrorDetail, CompaStoryOpenDetail } from '../../src/widgets/story-feed/compa-story-feed.ts';
import { EMBED_SANDBOX } from '../../src/widgets/story-feed/sanitize.ts';
import { DEMO_STORIES, TEST_EMBED, YOUTUBE_EMBED, storyHandlers, storyScenarios } from '../mocks/story-handlers.ts';
import { $, $$, button, focused, get, gets, isShown, norm, reach, record, text, until, useWidgetPage, visibleText } from './common.helpers.ts';
import { followedClicks, loadMedia, loadMore, mount, read, shownIds, storyLink, uniqueApi } from './story-feed.helpers.ts';

const mock = useWidgetPage();

const [RIO, RADIO, WATER, AGUAN, GUERRERO] = DEMO_STORIES.map((s) => s.id);
const reader = (el: HTMLElement & { shadowRoot: ShadowRoot | null }) => el.shadowRoot!.querySelector<HTMLElement>('[part~="reader"]');
/** Every resource the page requested (images, frames…), as the browser recorded them. */
const requested = (): string[] => performance.getEntriesByType('resource').map((e) => e.name);

describe('<compa-story-feed> reader: opening a story in place, and back', () => {
  it('a click opens the story in place (event first): title focused, details, image, full text, link to its page', async () => {
    const api = uniqueApi();
    const opened = record<CompaStoryOpenDetail>(document, 'compa-story-open');
    const followed = followedClicks();
    const el = await mount({ api });
    storyLink(el, RIO).click();
    expect(opened.map((e) => [e.detail, e.cancelable, e.composed, e.bubbles])).to.deep.equal([
      [{ id: RIO, link: `${api}/stories/${RIO}?lang=en` }, true, true, true],
    ]);
    expect(followed, 'the link is not followed').to.deep.equal([false]);
    await read(el, RIO, { loaded: false });
    await until(() => focused(el)?.id === 'rt', () => 'focus on the story’s title');
    await until(() => $(el, '[part~="body"]'), () => 'the full text');
    expect(gets(`/api/v1/stories/${RIO}`)[0]!.url).to.equal(`${api}/api/v1/stories/${RIO}?lang=en`);
    const r = reader(el)!;
    const title = get(el, '#rt');
    expect([title.getAttribute('role'), title.getAttribute('aria-level'), norm(title.textContent)]).to.deep.equal([
      'heading',
      '3',
      'Back on their land: Río Verde’s leaders return home',
    ]);
    expect(r.querySelector('article')!.getAttribute('aria-labelledby')).to.equal('rt');
    expect(norm(r.querySelector('[part~="meta"]')!.textContent)).to.equal('Consejo Comunitario de Río Verde Chocó, Colombia November 2, 2026 4 min read');
    const img = r.querySelector<HTMLImageElement>('[part~="image"]')!;
    expect([img.src, img.getAttribute('loading'), img.alt]).to.deep.equal([
      `${api}/media/stories/${RIO}.svg`,
      'eager',
      'Two women walk along a riverside path, followed by two accompaniment volunteers',
    ]);
    const body = get(el, '[part~="body"]');
    expect([...body.querySelectorAll('p')].map((p) => norm(p.textContent))).to.deep.equal([
      'Three months after the threats that forced them to leave, two leaders of the community council returned to Río Verde, accompanied by our volunteers.',
      'Our volunteers will keep accompanying them in the months ahead, and we will tell you how it goes.',
    ]);
    expect(body.getAttribute('lang')).to.equal('en');
    const link = get<HTMLAnchorElement>(el, '[part~="link"]');
    expect([norm(link.textContent), link.href]).to.deep.equal(['Open the full story', `${api}/stories/${RIO}?lang=en`]);
    // The list is still there, hidden: nothing of it is shown or read.
    expect(isShown(get(el, '[part~="list"]'))).to.equal(false);
    expect(visibleText(el.shadowRoot!.firstElementChild!)).to.not.contain('Voces del Cauca');
  });

  it('while the text loads: the title and details at once, and "Loading the story…"', async () => {
    mock.worker.use(...storyScenarios.detailSlow());
    const el = await mount();
    await read(el, GUERRERO, { loaded: false });
    expect(text(el, '#rt')).to.equal('Reporting against the odds: Guerrero’s journalists');
    expect(text(el, '[part~="reader"] [part~="message"]')).to.equal('Loading the story…');
    expect($(el, '[part~="body"]')).to.equal(null);
  });

  it('"Back to stories" shows the list as it was (pages loaded included), focus on the story’s link', async () => {
    const el = await mount({ limit: 4 });
    await loadMore(el);
    const cards = $$(el, '[part~="card"]');
    await read(el, GUERRERO);
    button(el, 'Back to stories').click();
    await reach(el, 'list');
    expect(reader(el)).to.equal(null);
    expect($$(el, '[part~="card"]'), 'the same cards, the same elements').to.deep.equal(cards);
    expect(isShown(get(el, '[part~="list"]'))).to.equal(true);
    await until(() => focused(el) === storyLink(el, GUERRERO), () => `focus on the story’s link (it is on "${norm(focused(el)?.textContent)}")`);
    expect(gets('/api/v1/stories').filter((r) => new URL(r.url).pathname.endsWith('/stories')), 'the list was not fetched again').to.have.length(2);
  });

  it('with the keyboard: Enter on a story opens it, Shift+Tab reaches "Back to stories", Enter goes back', async () => {
    const el = await mount();
    storyLink(el, WATER).focus();
    await sendKeys({ press: 'Enter' });
    await reach(el, 'reader');
    await until(() => focused(el)?.id === 'rt', () => 'focus on the title');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(norm(focused(el)?.textContent)).to.equal('Back to stories');
    await sendKeys({ press: 'Enter' });
    await reach(el, 'list');
    await until(() => focused(el) === storyLink(el, WATER), () => 'focus back on the story’s link');
  });

  it('the reader’s title keeps `heading-level`; the headings of the text are below it', async () => {
    const el = await mount({ headingLevel: 2 });
    await read(el, RADIO);
    expect(get(el, '#rt').getAttribute('aria-level')).to.equal('2');
    expect($$(el, '[part~="body"] :is(h1,h2,h3,h4,h5,h6)').map((h) => [h.localName, norm(h.textContent)])).to.deep.equal([['h3', 'Una emisora en la montaña']]);
  });

  it('a story that fails to load: an error and "Try again" (its title stays), which loads it', async () => {
    mock.worker.use(...storyScenarios.detailFailure());
    const errors = record<CompaErrorDetail>(document, 'compa-error');
    const el = await mount();
    await read(el, RIO);
    expect(text(el, '[part~="reader"] [role="alert"]')).to.equal('The story couldn’t load. Check your connection and try again.');
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'internal', status: 500 }]);
    expect(text(el, '#rt')).to.equal('Back on their land: Río Verde’s leaders return home');
    mock.worker.resetHandlers();
    button(el, 'Try again').click();
    await until(() => $(el, '[part~="body"]'), () => 'the full text');
    await until(() => focused(el)?.id === 'rt', () => 'focus on the title');
    expect(shownIds(el), 'the list is unchanged').to.have.length(6);
  });

  it('a rate-limited story says when to try again', async () => {
    mock.worker.use(...storyHandlers({ detail: { kind: 'error', status: 429, code: 'rate_limited', message: 'Too many requests', retryAfter: 30 } }));
    const el = await mount();
    await read(el, RIO);
    expect(text(el, '[part~="reader"] [role="alert"]')).to.equal('Too many requests. Please try again in 30 seconds.');
  });
});

describe('<compa-story-feed> reader: a story withdrawn meanwhile (404)', () => {
  it('says it is no longer available, shows nothing of it, and drops it from the list', async () => {
    mock.worker.use(...storyScenarios.withdrawn({ ids: [RADIO] }));
    const errors = record<CompaErrorDetail>(document, 'compa-error');
    const el = await mount();
    await read(el, RADIO);
    const message = get(el, '[part~="reader"] [part~="message"]');
    expect(norm(message.textContent)).to.equal('This story is no longer available.');
    await until(() => focused(el) === message, () => 'focus on the message');
    const r = reader(el)!;
    expect(norm(r.textContent), 'nothing of the story: title, details, image').to.equal('Back to stories This story is no longer available.');
    expect(r.querySelector('img, [role="heading"]')).to.equal(null);
    expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'not_found', status: 404 }]);
    expect(el.stories.map((s) => s.id)).to.not.include(RADIO);

    button(el, 'Back to stories').click();
    await reach(el, 'list');
    expect(shownIds(el)).to.deep.equal([RIO, WATER, AGUAN, GUERRERO, DEMO_STORIES[5]!.id]);
    await until(() => focused(el) === storyLink(el, WATER), () => 'focus on the next story’s link');
  });

  it('the only story withdrawn: back to "No stories yet."', async () => {
    mock.worker.use(...storyHandlers({ stories: [DEMO_STORIES[0]!], withdrawn: [RIO] }));
    const el = await mount();
    await read(el, RIO);
    button(el, 'Back to stories').click();
    await reach(el, 'empty');
    await until(() => focused(el) === get(el, '[part~="message"]'), () => 'focus on the message');
    expect(text(el, '[part~="message"]')).to.equal('No stories yet.');
  });
});

describe('<compa-story-feed> reader: links that stay links', () => {
  for (const [what, init] of [
    ['ctrl+click', { ctrlKey: true }],
    ['cmd+click', { metaKey: true }],
    ['shift+click', { shiftKey: true }],
    ['a middle click', { button: 1 }],
  ] as const) {
    it(`${what} follows the link as usual (no reader, no event)`, async () => {
      const opened = record(document, 'compa-story-open');
      const followed = followedClicks();
      const el = await mount();
      storyLink(el, RIO).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true, ...init }));
      expect(followed).to.deep.equal([true]);
      await el.updateComplete;
      expect(el.state).to.equal('list');
      expect(opened).to.have.length(0);
      expect(gets(`/api/v1/stories/${RIO}`)).to.have.length(0);
    });
  }

  it('`no-reader`: a click follows the link (no reader, no event)', async () => {
    const opened = record(document, 'compa-story-open');
    const followed = followedClicks();
    const el = await mount({ noReader: true });
    storyLink(el, RIO).click();
    await el.updateComplete;
    expect(followed).to.deep.equal([true]);
    expect(el.state).to.equal('list');
    expect(opened).to.have.length(0);
  });

  it('a page that cancels `compa-story-open` keeps the story from opening: the link is followed', async () => {
    const followed = followedClicks();
    const el = await mount();
    el.addEventListener('compa-story-open', (e) => e.preventDefault(), { once: true });
    storyLink(el, RIO).click();
    await el.updateComplete;
    expect(followed).to.deep.equal([true]);
    expect(el.state).to.equal('list');
    expect(gets(`/api/v1/stories/${RIO}`)).to.have.length(0);
    // Not cancelled the next time: it opens.
    storyLink(el, RIO).click();
    expect(followed).to.deep.equal([true, false]);
    await reach(el, 'reader');
  });
});

describe('<compa-story-feed> reader: the text, made safe again in the browser', () => {
  it('hostile HTML from the server: nothing runs, loads or styles; the text and the safe links stay', async () => {
    mock.worker.use(...storyScenarios.hostile());
    delete (window as { __pwned?: unknown }).__pwned;
    const el = await mount();
    await read(el, RIO);
    const body = get(el, '[part~="body"]');
    await new Promise((r) => setTimeout(r, 100)); // time for an onerror or onload to fire, if any
    expect((window as { __pwned?: unknown }).__pwned, 'no script ran').to.equal(undefined);
    expect(body.querySelectorAll('script, style, iframe, svg, form, input, button, object, video, img')).to.have.length(0);
    const attributes = [...body.querySelectorAll('*')].flatMap((n) => [...n.attributes].map((a) => `${n.localName}[${a.name}]`));
    expect(attributes.filter((a) => /\[(on\w+|style|id|class|src|action)\]/.test(a)), 'no handler, style, id or class').to.deep.equal([]);
    const links = [...body.querySelectorAll('a')];
    expect(links.map((a) => [norm(a.textContent), a.getAttribute('href')])).to.deep.equal([
      ['a script link', null],
      ['a data link', null],
      ['a real link', 'https://example.org/ok'],
      ['Video: not https', 'https://evil.example/video'],
      ['Video: plain http', 'http://insecure.example/watch/1'],
    ]);
    const real = links[2]!;
    expect([real.target, real.rel]).to.deep.equal(['_blank', 'noopener noreferrer']);
    expect(body.textContent, 'the text, without the code').to.equal(
      'Before.Styled a script link, a data link and a real link.Video: not httpsVideo: plain httpA top headingA third-level headingAfter.',
    );
    expect($$(el, '[part~="embed"]'), 'no player offered for what is not https').to.have.length(0);
    // Headings below the title (level 3): h1 → 4, h3 → 5.
    expect([...body.querySelectorAll('h4, h5')].map((h) => [h.localName, norm(h.textContent)])).to.deep.equal([
      ['h4', 'A top heading'],
      ['h5', 'A third-level heading'],
    ]);
    expect(getComputedStyle(el).display, 'the host’s own styles are untouched').to.equal('block');
    expect(requested().filter((u) => /evil\.example|tracker\.example|insecure\.example/.test(u))).to.deep.equal([]);
  });

  it('an image of the server’s own stays (lazy, its alt text and size); one from elsewhere never loads', async () => {
    const api = uniqueApi();
    const el = await mount({ api });
    await read(el, RADIO);
    const imgs = $$<HTMLImageElement>(el, '[part~="body"] img');
    expect(imgs.map((i) => [i.src, i.alt, i.getAttribute('width'), i.getAttribute('height'), i.getAttribute('loading')])).to.deep.equal([
      [`${api}/media/stories/cabina.svg`, 'La cabina de la emisora, con dos micrófonos', '800', '450', 'lazy'],
    ]);
  });
});

describe('<compa-story-feed> reader: third-party media load only when asked', () => {
  it('each player is a placeholder saying where it would connect, with "Load media" and a plain link; nothing is requested', async () => {
    const el = await mount();
    await read(el, RADIO);
    const embeds = $$(el, '[part~="embed"]');
    expect(embeds).to.have.length(2);
    expect(embeds.map((e) => visibleText(e))).to.deep.equal([
      'Media from www.youtube-nocookie.com: loading it connects to that site.Load mediaVideo: Voces del Cauca al aire',
      'Media from media.compa.test: loading it connects to that site.Load mediaAudio: Entrevista con la directora',
    ]);
    const [yt] = embeds;
    expect(yt!.querySelector('p')!.getAttribute('lang'), 'the widget’s words in its language').to.equal('en');
    expect(yt!.querySelector('a')!.getAttribute('href')).to.equal('https://www.youtube.com/watch?v=kJQP7kiw5Fk');
    const load = yt!.querySelector('button')!;
    expect(load.getAttribute('aria-describedby')).to.equal(yt!.querySelector('p')!.id);
    expect($$(el, 'iframe')).to.have.length(0);
    expect(requested().filter((u) => /youtube|media\.compa\.test/.test(u)), 'no request to either site').to.deep.equal([]);
  });

  it('"Load media": that player only, sandboxed, without referrer, focused; the other still waits', async () => {
    const el = await mount();
    await read(el, RADIO);
    loadMedia(el, TEST_EMBED);
    const frames = $$<HTMLIFrameElement>(el, 'iframe');
    expect(frames).to.have.length(1);
    const f = frames[0]!;
    expect([f.src, f.title, f.getAttribute('sandbox'), f.getAttribute('referrerpolicy'), f.hasAttribute('allowfullscreen'), f.getAttribute('loading')]).to.deep.equal([
      TEST_EMBED,
      'Audio: Entrevista con la directora',
      EMBED_SANDBOX,
      'no-referrer',
      true,
      'lazy',
    ]);
    expect(EMBED_SANDBOX).to.equal('allow-scripts allow-same-origin allow-presentation allow-popups');
    expect(focused(el)).to.equal(f);
    const [yt, test] = $$(el, '[part~="embed"]');
    expect(test!.querySelector('button, p'), 'the placeholder’s text and button are gone').to.equal(null);
    expect(test!.querySelector('a'), 'the plain link stays').to.not.equal(null);
    expect(yt!.querySelector('button')!.dataset.src).to.equal(YOUTUBE_EMBED);
    expect(yt!.querySelector('iframe')).to.equal(null);
    expect(requested().filter((u) => u.includes('youtube')), 'nothing from the other site').to.deep.equal([]);
  });

  it('opened again, the story’s players wait again', async () => {
    const el = await mount();
    await read(el, RADIO);
    loadMedia(el);
    button(el, 'Back to stories').click();
    await reach(el, 'list');
    await read(el, RADIO);
    expect($$(el, 'iframe')).to.have.length(0);
    expect($$(el, '[part~="embed"] button')).to.have.length(2);
  });
});
