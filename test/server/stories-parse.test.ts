/**
 * Reading an organisation's feed: RSS 2.0 as WordPress writes it, RSS 1.0, Atom and JSON Feed into one shape;
 * tolerant of real-world sloppiness, strict about what is not a feed, and never trusting a size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeedError, parseFeed, parseFeedDate, normalizeLanguage, type ParsedFeed } from '../../src/server/stories/feed-parse.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/feeds');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const FEED_URL = 'https://ngo.example/feed/';
const parse = (body: string, contentType: string | null = null, url = FEED_URL) => parseFeed(body, { contentType, url });
const rss = (items: string, channel = '<title>T</title><link>https://ngo.example/</link>') =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>${channel}${items}</channel></rss>`;

function assertFeedError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof FeedError, `a FeedError, got ${String(err)}`);
    assert.match(err.message, message);
    return true;
  });
}

test('RSS 2.0 (WordPress): every field, namespaced extensions, relative links, enclosures and Media RSS', () => {
  const feed = parse(fixture('rss.xml'), 'application/rss+xml; charset=UTF-8');
  assert.equal(feed.format, 'rss');
  assert.equal(feed.title, 'Defensoras & Defensores');
  assert.equal(feed.link, 'https://ngo.example/');
  assert.equal(feed.language, 'es-CO');
  assert.equal(feed.truncated, false);
  assert.equal(feed.items.length, 3);

  const [ana, second, third] = feed.items as [ParsedFeed['items'][0], ParsedFeed['items'][0], ParsedFeed['items'][0]];
  assert.equal(ana.guid, 'https://ngo.example/?p=1234');
  assert.equal(ana.title, 'La lucha de Ana por el agua – un año después');
  assert.equal(ana.link, 'https://ngo.example/2024/06/ana-agua/');
  assert.equal(ana.summaryHtml, '<p>Ana sigue defendiendo el río. [&#8230;]</p>');
  assert.match(ana.contentHtml!, /^<p>Ana sigue defendiendo el <a href="\/tag\/rio\/">río<\/a>\.<\/p>/);
  assert.match(ana.contentHtml!, /<iframe src="https:\/\/www\.youtube\.com\/embed\/dQw4w9WgXcQ"/, 'content is raw: sanitising is the next step');
  assert.equal(ana.published?.toISOString(), '2024-06-12T14:00:00.000Z');
  assert.equal(ana.updated, null);
  assert.equal(ana.language, 'es-CO', 'the channel’s language');
  assert.deepEqual(ana.categories, ['Territorio', 'Agua'], 'trimmed, de-duplicated regardless of case');
  assert.equal(ana.author, 'María Pérez');
  assert.deepEqual(ana.image, { url: 'https://ngo.example/wp-content/uploads/2024/06/ana-cover.jpg', alt: null });
  assert.equal(ana.baseUrl, 'https://ngo.example/2024/06/ana-agua/');

  assert.equal(second.guid, 'https://ngo.example/2024/06/second/');
  assert.equal(second.link, 'https://ngo.example/2024/06/second/', 'resolved against the channel link');
  assert.equal(second.published?.toISOString(), '2024-06-11T14:30:00.000Z', 'RFC 822 with a -0500 offset');
  assert.equal(second.language, 'en-GB', 'the item’s own dc:language wins');
  assert.equal(second.author, 'Press Team', '"email (Name)" gives the name');
  assert.equal(second.summaryHtml, 'Plain &amp; simple <b>summary</b>', 'escaped HTML in <description> decoded once');
  assert.equal(second.contentHtml, null, 'no content:encoded: the description stays a summary only');
  assert.deepEqual(second.image, { url: 'https://ngo.example/media/second.webp', alt: 'Two people at a march' }, 'media:content in media:group');

  assert.match(third.guid, /^sha256:[0-9a-f]{64}$/, 'no guid, no link: a hash');
  assert.equal(third.link, null);
  assert.deepEqual(third.image, { url: 'https://ngo.example/thumb.png', alt: null }, 'media:thumbnail');
  assert.equal(third.baseUrl, 'https://ngo.example/', 'no link of its own: the feed’s');
});

test('RSS: the hashed guid depends on title and date only, so it is stable from one import to the next', () => {
  const item = (title: string, date: string, description: string) => `<item><title>${title}</title><pubDate>${date}</pubDate><description>${description}</description></item>`;
  const a = parse(rss(item('Same', 'Mon, 10 Jun 2024 08:00:00 GMT', 'first wording'))).items[0]!;
  const b = parse(rss(item('Same', 'Mon, 10 Jun 2024 08:00:00 GMT', 'edited wording'))).items[0]!;
  const c = parse(rss(item('Other', 'Mon, 10 Jun 2024 08:00:00 GMT', 'first wording'))).items[0]!;
  const d = parse(rss(item('Same', 'Tue, 11 Jun 2024 08:00:00 GMT', 'first wording'))).items[0]!;
  assert.equal(a.guid, b.guid);
  assert.notEqual(a.guid, c.guid);
  assert.notEqual(a.guid, d.guid);
});

test('RSS: guid as permalink, isPermaLink="false", namespaces by URI whatever the prefix, unknown namespaces ignored', () => {
  const feed = parse(
    `<rss version="2.0" xmlns:c="http://purl.org/rss/1.0/modules/content/" xmlns:x="urn:other"><channel><title>T</title>
      <item><title>A</title><guid>https://ngo.example/a</guid><c:encoded><![CDATA[<p>full</p>]]></c:encoded><x:encoded>not content</x:encoded></item>
      <item><title>B</title><guid isPermaLink="false">https://ngo.example/b</guid><content:encoded>&lt;p&gt;undeclared prefix&lt;/p&gt;</content:encoded></item>
      <item><title>C</title><guid>post-17</guid></item>
    </channel></rss>`,
  );
  const [a, b, c] = feed.items;
  assert.equal(a!.link, 'https://ngo.example/a', 'a guid is a permalink by default');
  assert.equal(a!.contentHtml, '<p>full</p>', 'content:encoded under another prefix');
  assert.equal(b!.link, null, 'isPermaLink="false"');
  assert.equal(b!.guid, 'https://ngo.example/b');
  assert.equal(b!.contentHtml, '<p>undeclared prefix</p>', 'the usual prefix, undeclared (sloppy feeds)');
  assert.equal(c!.link, null, 'a guid that is not a URL is no link');
  assert.equal(c!.guid, 'post-17');
});

test('RSS: raw (unescaped) markup in <description> is kept as HTML; entities in titles decoded, tags in titles removed', () => {
  const feed = parse(rss('<item><title>Rock &amp;amp; roll &lt;b&gt;now&lt;/b&gt; &#8220;quoted&#8221;</title><description><p>Raw <b>markup</b> &amp; text</p></description></item>'));
  const item = feed.items[0]!;
  assert.equal(item.title, 'Rock & roll now “quoted”');
  assert.equal(item.summaryHtml, '<p>Raw <b>markup</b> &amp; text</p>');
});

test('RSS 1.0 (RDF): channel and items side by side, dc:date, dc:subject, dc:creator, rdf:about', () => {
  const feed = parse(fixture('rdf.xml'));
  assert.equal(feed.format, 'rss');
  assert.equal(feed.title, 'RDF news');
  assert.equal(feed.language, 'de-DE');
  assert.equal(feed.items.length, 1);
  const item = feed.items[0]!;
  assert.equal(item.guid, 'https://rdf.ngo.example/1');
  assert.equal(item.title, 'Erste Geschichte');
  assert.equal(item.link, 'https://rdf.ngo.example/1');
  assert.equal(item.published?.toISOString(), '2024-05-01T10:00:00.000Z');
  assert.deepEqual(item.categories, ['Menschenrechte']);
  assert.equal(item.author, 'Karl');
});

test('Atom: xml:base, text constructs (text/html/xhtml), published/updated, languages, categories, authors, enclosure', () => {
  const feed = parse(fixture('atom.xml'), 'application/atom+xml');
  assert.equal(feed.format, 'atom');
  assert.equal(feed.title, 'Histórias');
  assert.equal(feed.link, 'https://blog.ngo.example/');
  assert.equal(feed.language, 'pt-BR');
  const [terra, segunda] = feed.items;
  assert.equal(terra!.guid, 'tag:blog.ngo.example,2024:terra');
  assert.equal(terra!.title, 'Quando a terra fala', 'type="html" title as plain text');
  assert.equal(terra!.link, 'https://blog.ngo.example/posts/terra', 'resolved against xml:base');
  assert.equal(terra!.summaryHtml, '<p>Uma história &lt;curta&gt;</p><p>em dois parágrafos.</p>', 'type="text" escaped into paragraphs');
  assert.equal(terra!.contentHtml, '<p>Texto <a href="terra-2">relacionado</a>.</p><br><img src="foto.jpg" alt="Foto">', 'xhtml: the div’s content as HTML');
  assert.equal(terra!.baseUrl, 'https://blog.ngo.example/posts/', 'the content’s own xml:base');
  assert.equal(terra!.published?.toISOString(), '2024-06-10T11:15:00.000Z');
  assert.equal(terra!.updated?.toISOString(), '2024-06-12T18:30:02.000Z');
  assert.equal(terra!.language, 'pt-BR', 'inherited from <feed xml:lang>');
  assert.deepEqual(terra!.categories, ['Território', 'agua'], 'label preferred to term');
  assert.equal(terra!.author, 'Joana');
  assert.deepEqual(terra!.image, { url: 'https://blog.ngo.example/img/terra.jpg', alt: null });

  assert.equal(segunda!.language, 'es', 'the entry’s own xml:lang');
  assert.equal(segunda!.contentHtml, '<p>Hola &amp; adiós</p>', 'type="html"');
  assert.equal(segunda!.published?.toISOString(), '2024-06-01T10:00:00.000Z', 'no published: updated');
  assert.equal(segunda!.author, 'Equipe de Comunicação', 'the feed’s author');
  assert.equal(segunda!.image, null);
});

test('JSON Feed 1.1: ids as strings, tags, text summary and content_text escaped, images only http(s), items that are not objects skipped', () => {
  const feed = parse(fixture('feed.json'), 'application/feed+json', 'https://voices.ngo.example/feed.json');
  assert.equal(feed.format, 'json');
  assert.equal(feed.title, 'Voices');
  assert.equal(feed.link, 'https://voices.ngo.example/');
  assert.equal(feed.language, 'en-US');
  assert.equal(feed.truncated, false);
  assert.equal(feed.items.length, 2, 'a string item and an item with nothing in it are skipped');
  const [lena, abc] = feed.items;
  assert.equal(lena!.guid, '2047');
  assert.equal(lena!.title, 'Lena\'s story');
  assert.equal(lena!.link, 'https://voices.ngo.example/stories/lena');
  assert.equal(lena!.summaryHtml, '<p>Short &amp; &lt;sweet&gt;</p>');
  assert.equal(lena!.contentHtml, '<p>Lena <strong>speaks</strong>.</p>');
  assert.equal(lena!.published?.toISOString(), '2024-06-05T08:00:00.000Z');
  assert.equal(lena!.updated?.toISOString(), '2024-06-06T10:00:00.000Z');
  assert.equal(lena!.language, 'fr');
  assert.deepEqual(lena!.categories, ['Asylum', 'Women']);
  assert.equal(lena!.author, 'Voices team');
  assert.deepEqual(lena!.image, { url: 'https://voices.ngo.example/img/lena.jpg', alt: null });

  assert.equal(abc!.guid, 'abc');
  assert.equal(abc!.contentHtml, '<p>Line one<br>line two</p><p>Second paragraph with &lt;tags&gt;</p>');
  assert.equal(abc!.published, null, 'an unparseable date is null');
  assert.equal(abc!.image, null, 'javascript: banner_image refused');
  assert.equal(abc!.author, 'Old-style author', 'JSON Feed 1.0 author');
  assert.equal(abc!.language, 'en-US');
});

test('JSON Feed: recognised by its body whatever the Content-Type; XML served as application/json is still read as XML', () => {
  const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1', items: [{ id: 'x', content_html: '<p>x</p>' }] });
  assert.equal(parse(json, 'text/plain').format, 'json');
  assert.equal(parse(` \n${json}`, null).format, 'json');
  assert.equal(parse(rss('<item><title>x</title></item>'), 'application/json').format, 'rss');
});

test('not a feed: FeedError says what is wrong', () => {
  assertFeedError(() => parse(fixture('malformed.xml'), 'text/html'), /^not a feed: <html> root$/);
  assertFeedError(() => parse(''), /empty document/);
  assertFeedError(() => parse('   \n'), /empty document/);
  assertFeedError(() => parse('Just some text, no markup.'), /not a feed: no XML root element/);
  assertFeedError(() => parse('<entry xmlns="http://www.w3.org/2005/Atom"><id>x</id></entry>'), /not a feed: <entry> root/);
  assertFeedError(() => parse('<rss version="2.0"></rss>'), /malformed RSS: no <channel>/);
  assertFeedError(() => parse('{"version": "https://jsonfeed.org/version/1.1", "items": '), /malformed JSON/);
  assertFeedError(() => parse('{"title": "An API answer"}', 'application/json'), /not a feed: JSON without a JSON Feed version/);
  assertFeedError(() => parse('[1, 2]', 'application/json'), /not a feed: JSON that is not an object/);
  assertFeedError(() => parse('{"version": "https://jsonfeed.org/version/1.1", "title": "x"}'), /JSON Feed without items/);
  assertFeedError(() => parse('{"version": "https://jsonfeed.org/version/1.1", "items": {}}'), /JSON Feed without items/);
});

test('an empty feed is a feed: no items, no error', () => {
  assert.deepEqual(parse(rss('')).items, []);
  assert.deepEqual(parse('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>').items, []);
  assert.deepEqual(parse('{"version": "https://jsonfeed.org/version/1.1", "items": []}').items, []);
});

test('truncated XML: the complete items are kept and the feed says it is truncated; with none complete it is an error', () => {
  const feed = parse(fixture('truncated.xml'));
  assert.equal(feed.truncated, true);
  assert.deepEqual(feed.items.map((i) => i.guid), ['g1', 'g2'], 'the half item is dropped');
  assertFeedError(() => parse('<rss version="2.0"><channel><title>x</title><item><title>cut'), /malformed XML/);
  assertFeedError(() => parse('<rss version="2.0"><channel><title>x</title>'), /malformed XML/);
  // an item closed by its parent's end tag, not its own, is as broken as a cut-off one
  const misnested = parse(rss('<item><title>ok</title><guid>ok</guid></item><item><title>broken</title><guid>broken</guid>'));
  assert.deepEqual(misnested.items.map((i) => i.guid), ['ok']);
  assert.equal(misnested.truncated, false);
});

test('WordPress PHP warnings printed before the XML do not hide the feed', () => {
  const feed = parse(fixture('wordpress-warnings.xml'));
  assert.equal(feed.title, 'Still a feed');
  assert.deepEqual(feed.items.map((i) => i.link), ['https://ngo.example/one']);
});

test('hostile feed: titles are plain text, javascript: links and images are null (the HTML is for the sanitiser)', () => {
  const feed = parse(fixture('xss.xml'));
  assert.equal(feed.title, 'Evil feed');
  assert.equal(feed.link, null);
  const item = feed.items[0]!;
  assert.equal(item.title, 'Hello');
  assert.equal(item.link, null);
  assert.equal(item.image, null);
  assert.deepEqual(item.categories, ['bold tag']);
});

test('never trust sizes: 500 items (the first), titles of 300 characters, 20 categories of 64', () => {
  const items = Array.from({ length: 600 }, (_, i) => `<item><guid>g${i}</guid><title>t${i}</title></item>`).join('');
  const feed = parse(rss(items));
  assert.equal(feed.items.length, 500);
  assert.equal(feed.items[0]!.guid, 'g0');
  assert.equal(feed.items[499]!.guid, 'g499');

  const cats = Array.from({ length: 30 }, (_, i) => `<category>${String(i).padStart(2, '0')}${'c'.repeat(100)}</category>`).join('');
  const big = parse(rss(`<item><title>${'T'.repeat(1000)}</title><guid>${'g'.repeat(2000)}</guid>${cats}</item>`, `<title>${'F'.repeat(1000)}</title>`)).items[0]!;
  assert.equal(big.title.length, 300);
  assert.equal(big.categories.length, 20);
  assert.ok(big.categories.every((c) => c.length === 64));
  assert.equal(big.categories[19]!.slice(0, 2), '19');
  assert.match(big.guid, /^sha256:[0-9a-f]{64}$/, 'an enormous guid is hashed');

  const jsonItems = Array.from({ length: 600 }, (_, i) => ({ id: i, title: 't' }));
  assert.equal(parse(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items: jsonItems })).items.length, 500);
});

test('entity declarations are never expanded: a "billion laughs" document is quick and stays small', () => {
  const lol = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE lolz [',
    ' <!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
    ']>',
    '<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><description>&lol9;</description><guid>x</guid></item></channel></rss>',
  ].join('\n');
  const started = performance.now();
  const feed = parse(lol);
  assert.ok(performance.now() - started < 500, 'no expansion work');
  const item = feed.items[0]!;
  assert.equal(item.title, '&lol9;');
  assert.equal(item.summaryHtml, '&lol9;');
  assert.doesNotMatch(JSON.stringify(feed), /lollol/);

  const external = parse('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title><guid>y</guid></item></channel></rss>');
  assert.equal(external.items[0]!.title, '&x;', 'external entities are not fetched either');
});

test('dates: RFC 822 in its real-world variants and RFC 3339; anything else, and impossible dates, are null', () => {
  const iso = (s: string) => parseFeedDate(s)?.toISOString() ?? null;
  assert.equal(iso('Wed, 12 Jun 2024 14:00:00 +0000'), '2024-06-12T14:00:00.000Z');
  assert.equal(iso('Wed, 12 Jun 2024 14:00:00 GMT'), '2024-06-12T14:00:00.000Z');
  assert.equal(iso('12 Jun 2024 14:00 EDT'), '2024-06-12T18:00:00.000Z', 'no day name, no seconds, zone name');
  assert.equal(iso('Mié, 12 Jun 2024 14:00:00 -0500'), '2024-06-12T19:00:00.000Z', 'a day name in another language');
  assert.equal(iso('Wed, 12 June 2024 14:00:00 +02:00'), '2024-06-12T12:00:00.000Z');
  assert.equal(iso('Sat, 1 Jan 99 00:00:00 GMT'), '1999-01-01T00:00:00.000Z', 'two-digit year');
  assert.equal(iso('2024-06-10T08:15:00-03:00'), '2024-06-10T11:15:00.000Z');
  assert.equal(iso('2024-06-10T08:15:00.123456Z'), '2024-06-10T08:15:00.123Z');
  assert.equal(iso('2024-06-10 08:15:00'), '2024-06-10T08:15:00.000Z', 'no zone: UTC');
  assert.equal(iso('2024-06-10'), '2024-06-10T00:00:00.000Z');
  for (const bad of ['', 'yesterday', '2024', '1', 'Wed, 31 Feb 2024 10:00:00 GMT', '2024-13-01T00:00:00Z', '2024-02-30', '2024-06-10T25:00:00Z', 'Wed, 12 Foo 2024 14:00:00 GMT', null, undefined]) {
    assert.equal(parseFeedDate(bad), null, String(bad));
  }
});

test('languages: normalised like "es", "pt-BR"; invalid ones are null and fall back to the feed’s', () => {
  assert.equal(normalizeLanguage('ES'), 'es');
  assert.equal(normalizeLanguage('pt-br'), 'pt-BR');
  assert.equal(normalizeLanguage('pt_BR'), 'pt-BR');
  assert.equal(normalizeLanguage(' en-us '), 'en-US');
  assert.equal(normalizeLanguage('zh-hant-tw'), 'zh-Hant-TW');
  assert.equal(normalizeLanguage('es-419'), 'es-419');
  for (const bad of ['english', '', 'e', 'x-klingon', '12', 'und', null, 42]) assert.equal(normalizeLanguage(bad), null, String(bad));
  const feed = parse(rss('<item><title>a</title><dc:language>Spanish</dc:language></item>', '<title>t</title><language>fr-ca</language>'));
  assert.equal(feed.items[0]!.language, 'fr-CA');
});
