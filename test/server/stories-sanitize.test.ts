/**
 * Story HTML as the widget will show it: plain formatting only, absolute links opening in a new tab, images only
 * where Compa re-serves them (never a tracking pixel), players as click-to-load placeholders, and nothing that
 * can run script or make a reader's browser contact a third party, whatever the feed wrote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'htmlparser2';
import { excerpt, plainText, sanitizeStoryHtml, storyImageUrls } from '../../src/server/stories/sanitize.ts';

const BASE = 'https://ngo.example/news/story-1';
/** Every image kept, served from Compa's own media path. */
const served = (url: string) => `/media/${Buffer.from(url).toString('base64url')}`;
const clean = (html: string, image: ((u: string) => string | null) | undefined = served) => sanitizeStoryHtml(html, { baseUrl: BASE, image });

/** What may appear in the output: tag → attributes. The placeholder figure's data attributes are checked apart. */
const ALLOWED: Record<string, string[]> = {
  p: [], br: [], strong: [], em: [], b: [], i: [], u: [], s: [], blockquote: [], q: [], cite: [], ul: [], ol: [], li: [],
  h2: [], h3: [], h4: [], h5: [], h6: [], a: ['href', 'rel', 'target'], figure: ['data-compa-embed', 'data-compa-host'],
  figcaption: [], img: ['src', 'alt', 'width', 'height'], hr: [], code: [], pre: [], sub: [], sup: [],
  table: [], thead: [], tbody: [], tr: [], th: ['colspan', 'rowspan'], td: ['colspan', 'rowspan'], abbr: ['title'],
};

type El = { type: string; name: string; attribs: Record<string, string>; children: El[] };

/** Parses the output as a browser's tokenizer would (htmlparser2, HTML mode) and checks every element and attribute. */
function assertOnlyAllowed(html: string): void {
  const walk = (nodes: El[]) => {
    for (const n of nodes) {
      if (n.type === 'comment' || n.type === 'directive' || n.type === 'cdata') assert.fail(`unexpected ${n.type} in ${html}`);
      if (n.type !== 'tag' && n.type !== 'script' && n.type !== 'style') continue;
      assert.ok(n.name in ALLOWED, `<${n.name}> is not allowed: ${html}`);
      for (const [name, value] of Object.entries(n.attribs)) {
        assert.ok(ALLOWED[n.name]!.includes(name), `<${n.name} ${name}> is not allowed: ${html}`);
        if (name === 'href' || name === 'src' || name === 'data-compa-embed') {
          assert.match(value, /^(https:|http:|mailto:|\/media\/)/, `${name}="${value}"`);
        }
      }
      walk(n.children);
    }
  };
  walk(parseDocument(html).children as unknown as El[]);
}

/** The classic payloads: none may leave anything that runs or loads by itself. */
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<svg onload=alert(1)><circle r=1 /></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<style>body{background:url(https://evil.example/t.gif)}</style>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;"></math>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)><!-- never closed: swallows the rest -->',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<form action="https://evil.example/"><button formaction=javascript:alert(1)>go</button><input name=q></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="https://evil.example/">',
  '<link rel=stylesheet href="https://evil.example/x.css">',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<p style="width:expression(alert(1))">css</p>',
  '<p style="background:url(https://evil.example/t.gif)">css</p>',
  '<div onclick="alert(1)" onmouseover="alert(1)">x</div>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<a href="//evil.example/%2e%2e">protocol relative</a>',
  '<textarea><img src=x onerror=alert(1)></textarea>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<template><img src=x onerror=alert(1)></template>',
  '<p>a</p><!-- <img src=x onerror=alert(1)> -->',
  '<video poster="https://evil.example/p.jpg" src="javascript:alert(1)"></video>',
  '<img src="https://ngo.example/a.jpg" srcset="https://evil.example/b.jpg 2x" onload="alert(1)">',
  '<figure data-compa-embed="javascript:alert(1)" data-compa-host="www.youtube-nocookie.com"><a href="javascript:alert(1)">Video: fake</a></figure>',
];

test('XSS: none of the classic payloads leaves a script, a handler, a dangerous URL or a loading element', () => {
  for (const payload of PAYLOADS) {
    const { html } = clean(`<p>before</p>${payload}<p>after</p>`);
    assertOnlyAllowed(html);
    assert.doesNotMatch(html, /<(script|style|svg|math|iframe|object|embed|form|button|input|meta|base|link|noscript|textarea|template|video)\b/i, payload);
    assert.doesNotMatch(html, /\son\w+\s*=/i, payload);
    assert.doesNotMatch(html, /javascript:|vbscript:|data:|expression\(|style=|srcdoc|srcset|evil\.example\/t\.gif/i, payload);
    assert.match(html, /<p>before<\/p>/, `${payload}: the rest of the story survives`);
    if (!payload.includes('never closed')) assert.match(html, /<p>after<\/p>/, `${payload}: the rest of the story survives`);
  }
});

test('XSS: the checker itself catches what it must (a handler, a script, a javascript: URL)', () => {
  assert.throws(() => assertOnlyAllowed('<img src="/media/x" onerror="alert(1)">'));
  assert.throws(() => assertOnlyAllowed('<script>alert(1)</script>'));
  assert.throws(() => assertOnlyAllowed('<a href="javascript:alert(1)">x</a>'));
  assert.throws(() => assertOnlyAllowed('<figure data-x="1"></figure>'));
});

test('formatting: the allowlist is kept, h1 becomes h2, class/style/id/data-* and unknown tags go (their text stays)', () => {
  const { html } = clean(
    '<h1 id="t">Title</h1><p class="lead" style="color:red" data-track="1" id="x">A <strong>b</strong> <em>c</em> <u>d</u> <s>e</s> <sub>1</sub><sup>2</sup> <code>f</code></p>' +
      '<blockquote cite="https://evil.example/"><p>Quote <q>q</q> <cite>who</cite></p></blockquote><ul><li>one</li></ul><ol><li>two</li></ol>' +
      '<h3>h3</h3><h6>h6</h6><hr><pre>pre</pre><div><span>in a span</span></div><abbr title="Human rights" class="x">HR</abbr>' +
      '<table class="t"><thead><tr><th colspan="2" style="x" onclick="y">h</th></tr></thead><tbody><tr><td rowspan="3">c</td><td colspan="abc">d</td></tr></tbody></table>',
  );
  assertOnlyAllowed(html);
  assert.match(html, /^<h2>Title<\/h2><p>A <strong>b<\/strong> <em>c<\/em> <u>d<\/u> <s>e<\/s> <sub>1<\/sub><sup>2<\/sup> <code>f<\/code><\/p>/);
  assert.match(html, /<blockquote><p>Quote <q>q<\/q> <cite>who<\/cite><\/p><\/blockquote>/);
  assert.match(html, /<ul><li>one<\/li><\/ul><ol><li>two<\/li><\/ol><h3>h3<\/h3><h6>h6<\/h6><hr \/><pre>pre<\/pre>in a span/);
  assert.match(html, /<abbr title="Human rights">HR<\/abbr>/);
  assert.match(html, /<th colspan="2">h<\/th>/);
  assert.match(html, /<td rowspan="3">c<\/td><td>d<\/td>/);
  assert.doesNotMatch(html, /class=|style=|id=|data-track|<h1|<div|<span/);
});

test('links: resolved against the base URL, forced to a new tab without referrer; mailto kept; dangerous schemes lose their href', () => {
  const { html } = clean(
    '<a href="/tag/rio/" rel="author" target="_self" onclick="x">rel</a> <a href="../other">up</a> <a href="#note">note</a> ' +
      '<a href="mailto:press@ngo.example">mail</a> <a href="https://other.example/x?a=1&amp;b=2">abs</a> <a href="javascript:alert(1)">js</a> <a href="ftp://files.example/">ftp</a>',
  );
  assertOnlyAllowed(html);
  const attrs = 'rel="noopener noreferrer nofollow" target="_blank"';
  assert.match(html, new RegExp(`<a href="https://ngo.example/tag/rio/" ${attrs}>rel</a>`));
  assert.match(html, new RegExp(`<a href="https://ngo.example/other" ${attrs}>up</a>`));
  assert.match(html, new RegExp(`<a href="https://ngo.example/news/story-1#note" ${attrs}>note</a>`));
  assert.match(html, new RegExp(`<a href="mailto:press@ngo.example" ${attrs}>mail</a>`));
  assert.match(html, new RegExp(`<a href="https://other.example/x\\?a=1&amp;b=2" ${attrs}>abs</a>`));
  assert.match(html, /<a>js<\/a>/);
  assert.match(html, /<a>ftp<\/a>/);
});

test('images: resolved, mapped to Compa’s URL, only alt and numeric width/height kept; lazy-loaded sources found', () => {
  const { html } = clean(
    '<p><img src="/wp-content/a.jpg" alt="Ana at the river" width="800" height="600px" class="wp-image" srcset="x.jpg 2x" loading="lazy" title="t">' +
      '<img src="b.png"><img src="data:image/gif;base64,R0lGOD" data-lazy-src="https://cdn.ngo.example/lazy.jpg" alt="lazy"><img width="auto" src="https://ngo.example/c.webp"></p>',
  );
  assertOnlyAllowed(html);
  assert.equal(
    html,
    `<p><img src="${served('https://ngo.example/wp-content/a.jpg')}" alt="Ana at the river" width="800" height="600" />` +
      `<img src="${served('https://ngo.example/news/b.png')}" alt="" />` +
      `<img src="${served('https://cdn.ngo.example/lazy.jpg')}" alt="lazy" />` +
      `<img src="${served('https://ngo.example/c.webp')}" alt="" /></p>`,
  );
});

test('images: by default every image is dropped; the map can drop one; non-http(s) sources are dropped', () => {
  const body = '<p>x<img src="/a.jpg" alt="a"></p>';
  assert.equal(sanitizeStoryHtml(body, { baseUrl: BASE }).html, '<p>x</p>');
  assert.equal(clean('<img src="/a.jpg"><img src="/b.jpg">', (u) => (u.endsWith('a.jpg') ? null : '/media/b')).html, '<img src="/media/b" alt="" />');
  const seen: string[] = [];
  clean('<img src="javascript:alert(1)"><img src="file:///etc/passwd"><img src="data:image/png;base64,AA"><img src="ftp://x.example/a.jpg"><img>', (u) => (seen.push(u), u));
  assert.deepEqual(seen, [], 'no non-http(s) URL even reaches the map');
});

test('images: tracking pixels never reach the map (tiny sizes, known trackers), real images whose names look similar do', () => {
  const pixels = [
    '<img src="https://ngo.example/a.gif" width="1" height="1">',
    '<img src="https://ngo.example/a.gif" width="0">',
    '<img src="https://ngo.example/a.gif" height="2px">',
    '<img src="https://stats.wp.com/b.gif?v=noscript">',
    '<img src="https://pixel.wp.com/g.gif?blog=1">',
    '<img src="https://feeds.feedburner.com/~r/ngo/~4/abc">',
    '<img src="https://www.facebook.com/tr?id=1&ev=PageView">',
    '<img src="https://ngo.us1.list-manage.com/track/open.php?u=1">',
    '<img src="https://pixel.example-analytics.com/p.png">',
    '<img src="https://ngo.example/wp-content/plugins/x/pixel.gif">',
    '<img src="https://ngo.example/track/open/123">',
    '<img src="https://ngo.example/beacon?id=1">',
    '<img src="https://www.google-analytics.com/collect?v=1">',
  ];
  for (const p of pixels) {
    const seen: string[] = [];
    const { html } = clean(`<p>x${p}</p>`, (u) => (seen.push(u), u));
    assert.equal(html, '<p>x</p>', p);
    assert.deepEqual(seen, [], p);
  }
  const real = [
    'https://ngo.example/wp-content/uploads/pixel-art.jpg',
    'https://ngo.example/uploads/track-and-field.jpg',
    'https://ngo.example/uploads/photo.jpg?utm_source=rss',
    'https://ngo.example/uploads/stats-2024.png',
  ];
  for (const url of real) assert.deepEqual(storyImageUrls(`<img src="${url}" width="640">`, BASE), [url], url);
});

test('storyImageUrls: the images the body keeps, absolute, in order, once each; not pixels, not hidden in noscript or svg', () => {
  const html =
    '<p><img src="/one.jpg"></p><noscript><img src="/hidden.jpg"></noscript><svg><image href="/svg.jpg"/></svg>' +
    '<img src="https://stats.wp.com/b.gif"><img src="two.png"><img src="/one.jpg"><img src="https://cdn.example/three.webp" width=1 height=1>' +
    '<img src="https://cdn.example/four.gif">';
  assert.deepEqual(storyImageUrls(html, BASE), ['https://ngo.example/one.jpg', 'https://ngo.example/news/two.png', 'https://cdn.example/four.gif']);
});

test('embeds: YouTube becomes a youtube-nocookie click-to-load placeholder linking to the watch page; counted', () => {
  const r = clean('<p><iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=track123&amp;start=30" title="Our &quot;film&quot;" allowfullscreen></iframe></p><p>after</p>');
  assert.equal(
    r.html,
    '<figure data-compa-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30" data-compa-host="www.youtube-nocookie.com">' +
      '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener noreferrer nofollow" target="_blank">Video: Our &quot;film&quot;</a></figure><p>after</p>',
  );
  assert.equal(r.embeds, 1);
  assertOnlyAllowed(r.html);
});

test('embeds: Vimeo gets dnt=1, other https hosts stay as they are (named), video/audio sources too; http and srcdoc-only go', () => {
  const r = clean(
    '<iframe src="https://player.vimeo.com/video/76979871?h=abc"></iframe>' +
      '<iframe src="https://www.openstreetmap.org/export/embed.html?bbox=1" title="Map of the march"></iframe>' +
      '<video controls poster="/p.jpg"><source src="/media/film.mp4" type="video/mp4">Your browser…</video>' +
      '<audio src="https://cdn.example/interview.mp3"></audio>' +
      '<iframe src="http://insecure.example/player"></iframe><iframe srcdoc="<p>hi</p>"></iframe><embed src="https://cdn.example/old.swf">',
  );
  assertOnlyAllowed(r.html);
  const figures = [...r.html.matchAll(/<figure data-compa-embed="([^"]+)" data-compa-host="([^"]+)"><a href="([^"]+)"[^>]*>([^<]+)<\/a><\/figure>/g)].map((m) => m.slice(1));
  assert.deepEqual(figures, [
    ['https://player.vimeo.com/video/76979871?h=abc&amp;dnt=1', 'player.vimeo.com', 'https://vimeo.com/76979871', 'Video: player.vimeo.com'],
    ['https://www.openstreetmap.org/export/embed.html?bbox=1', 'www.openstreetmap.org', 'https://www.openstreetmap.org/export/embed.html?bbox=1', 'Embedded content: Map of the march'],
    ['https://ngo.example/media/film.mp4', 'ngo.example', 'https://ngo.example/media/film.mp4', 'Video: ngo.example'],
    ['https://cdn.example/interview.mp3', 'cdn.example', 'https://cdn.example/interview.mp3', 'Audio: cdn.example'],
    ['https://cdn.example/old.swf', 'cdn.example', 'https://cdn.example/old.swf', 'Embedded content: cdn.example'],
  ]);
  assert.equal(r.embeds, 5);
  assert.doesNotMatch(r.html, /insecure|Your browser|srcdoc|<p>hi/);
});

test('embeds: a feed cannot forge a placeholder (input data-* attributes and marker-like tags are stripped)', () => {
  const r = clean(
    '<figure data-compa-embed="javascript:alert(1)" data-compa-host="www.youtube-nocookie.com"><a href="javascript:alert(1)">Video: fake</a></figure>' +
      '<compa-embed-0123456789abcdef data-i="0"></compa-embed-0123456789abcdef><p data-compa-embed="https://evil.example/">p</p>' +
      '<iframe src="https://www.youtube.com/embed/abcdefghijk"></iframe>',
  );
  assertOnlyAllowed(r.html);
  assert.equal(r.embeds, 1);
  assert.equal(r.html.match(/data-compa-embed/g)?.length, 1, r.html);
  assert.match(r.html, /^<figure><a>Video: fake<\/a><\/figure><p>p<\/p><figure data-compa-embed="https:\/\/www\.youtube-nocookie\.com\/embed\/abcdefghijk"/);
  assert.doesNotMatch(r.html, /javascript|evil|compa-embed-/);
});

test('text and words: plain text of the result, words counted (CJK characters one each)', () => {
  const r = clean('<h1>Ana’s river</h1><p>She &amp; her <b>neighbours</b>&nbsp;stayed.</p><script>var hidden = 1</script><ul><li>one</li><li>two</li></ul>');
  assert.equal(r.text, 'Ana’s river She & her neighbours stayed. one two');
  assert.equal(r.words, 8);
  assert.equal(clean('<p>人权 defenders</p>').words, 3);
  assert.equal(clean('').words, 0);
  const embedded = clean('<p>Five women.</p><iframe src="https://player.vimeo.com/video/1" title="Interview"></iframe><p>End.</p>');
  assert.equal(embedded.embeds, 1);
  assert.equal(embedded.text, 'Five women. End.', 'placeholder labels are not the story’s text');
  assert.equal(embedded.words, 3);
});

test('plainText: entities decoded, tags and hidden content removed, blocks separated, whitespace collapsed', () => {
  assert.equal(plainText('<p>Hello&nbsp;<b>world</b></p><p>Next &amp; more&#8230;</p><style>p{}</style><script>x()</script>'), 'Hello world Next & more…');
  assert.equal(plainText('line<br>break\n\n  and   <em>spaces</em>'), 'line break and spaces');
  assert.equal(plainText('Q&amp;A: 1 &lt; 2'), 'Q&A: 1 < 2');
  assert.equal(plainText(''), '');
});

test('excerpt: cut at a word boundary with "…", never longer than max; short text unchanged', () => {
  assert.equal(excerpt('The quick brown fox jumps over the lazy dog', 20), 'The quick brown fox…');
  assert.equal(excerpt('Short text.', 280), 'Short text.');
  assert.equal(excerpt('  spaced \n out  ', 280), 'spaced out');
  const long = 'word '.repeat(100);
  const e = excerpt(long);
  assert.ok(e.length <= 280 && e.endsWith('word…'), e);
  assert.equal(excerpt('Hello, world, again', 14), 'Hello, world…');
  const cjk = '人权'.repeat(200);
  assert.equal(excerpt(cjk, 10), `${cjk.slice(0, 9)}…`);
  assert.equal(excerpt('😀'.repeat(10), 6).length <= 6, true);
  assert.doesNotMatch(excerpt('😀'.repeat(10), 6), /[\uD800-\uDBFF]…$/);
});
