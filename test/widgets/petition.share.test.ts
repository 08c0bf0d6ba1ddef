/**
 * `<compa-petition>` sharing after signing: plain links only (no third-party script, pixel or frame), the shared URL
 * and its per-channel source parameters, `compa-share` on every use, the copy buttons, Signal, Mastodon's server
 * question, and the device's own share sheet.
 */
import { expect } from '@open-wc/testing';
import type { CompaShareDetail } from '../../src/widgets/petition/compa-petition.ts';
import { ACTION_PARAM } from '../../src/widgets/petition/compa-petition.ts';
import { DEMO_SHARE_URL, DEMO_SLUG, DEMO_TEXTS, petitionScenarios } from '../mocks/petition-handlers.ts';
import { $, $$, base, focused, get, norm, reach, record, stub, text, until, useWidgetPage } from './common.helpers.ts';
import { fillAndSubmit, mount, status, visit, type CompaPetition, type MountOptions } from './petition.helpers.ts';

const mock = useWidgetPage();

const EN = DEMO_TEXTS.en;

/** Signs, and stops links from leaving the test page (the widget's own click handlers still run). */
async function signed(o: MountOptions = {}): Promise<CompaPetition> {
  const el = await mount(o);
  el.shadowRoot!.addEventListener('click', (e) => (e.target as Element).closest('a') && e.preventDefault());
  await fillAndSubmit(el);
  await reach(el, 'signed');
  await until(() => $(el, '[part~="share"]'), () => 'the sharing panel');
  return el;
}

const link = (el: CompaPetition, name: string) => {
  const a = $$<HTMLAnchorElement>(el, '[part~="share"] a').find((x) => norm(x.textContent).startsWith(name));
  if (!a) throw new Error(`no "${name}" link`);
  return a;
};
const shareButton = (el: CompaPetition, channel: string) => get<HTMLButtonElement>(el, `[part~="share"] button[data-channel="${channel}"]`);
const tagged = (channel: string, base = DEMO_SHARE_URL) =>
  `${base}?utm_source=${channel}&utm_medium=share&utm_campaign=${DEMO_SLUG}`;
const enc = encodeURIComponent;

describe('<compa-petition> sharing', () => {
  it('offers plain links with the encoded URL and a source parameter per channel, in new tabs without opener', async () => {
    const el = await signed();
    expect(text(el, '#share-heading')).to.equal('Ask others to sign too:');
    expect(link(el, 'WhatsApp').href).to.equal(`https://wa.me/?text=${enc(`${EN.shareText} ${tagged('whatsapp')}`)}`);
    expect(link(el, 'Telegram').href).to.equal(`https://t.me/share/url?url=${enc(tagged('telegram'))}&text=${enc(EN.shareText)}`);
    expect(link(el, 'Bluesky').href).to.equal(`https://bsky.app/intent/compose?text=${enc(`${EN.shareText} ${tagged('bluesky')}`)}`);
    expect(link(el, 'X').href).to.equal(`https://x.com/intent/post?text=${enc(EN.shareText)}&url=${enc(tagged('x'))}`);
    expect(link(el, 'Facebook').href).to.equal(`https://www.facebook.com/sharer/sharer.php?u=${enc(tagged('facebook'))}`);
    expect(link(el, 'Email').href).to.equal(`mailto:?subject=${enc(EN.title)}&body=${enc(`${EN.shareText}\n\n${tagged('email')}`)}`);
    for (const a of $$<HTMLAnchorElement>(el, '[part~="share"] a')) {
      expect(a.rel, a.href).to.equal('noopener noreferrer');
      if (!a.href.startsWith('mailto:')) {
        expect(a.target, a.href).to.equal('_blank');
        expect(norm(a.textContent), 'says it opens a new tab').to.match(/\(opens in a new tab\)$/);
      }
    }
  });

  it('loads nothing from another host: no script, frame or image, no request but the API’s', async () => {
    performance.clearResourceTimings();
    const api = 'https://api-share.compa.test';
    const el = await signed({ api });
    // Follows no link: what the page loads by itself with the panel on screen.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect($$(el, 'script, iframe, img, object, embed, link')).to.have.length(0);
    const foreign = performance
      .getEntriesByType('resource')
      .map((r) => new URL(r.name))
      .filter((u) => u.origin !== location.origin && u.origin !== api);
    expect(foreign.map((u) => u.href)).to.deep.equal([]);
  });

  it('every use dispatches compa-share {campaign, channel}, with no personal data', async () => {
    const el = await signed();
    const shares = record<CompaShareDetail>(document, 'compa-share');
    stub(navigator, 'clipboard', { writeText: async () => {} } as unknown as Clipboard);
    for (const name of ['WhatsApp', 'Telegram', 'Bluesky', 'X', 'Facebook', 'Email']) link(el, name).click();
    shareButton(el, 'copy').click();
    shareButton(el, 'signal').click();
    await el.updateComplete;
    expect(shares.map((e) => e.detail)).to.deep.equal(
      ['whatsapp', 'telegram', 'bluesky', 'x', 'facebook', 'email', 'copy', 'signal'].map((channel) => ({ campaign: DEMO_SLUG, channel })),
    );
    expect(shares.every((e) => e.bubbles && e.composed)).to.equal(true);
  });

  it('the `share-url` attribute wins; a non-http one is ignored', async () => {
    const el = await signed({ shareUrl: 'https://ngo.example/es/accion?ref=home' });
    expect(link(el, 'Facebook').href).to.equal(
      `https://www.facebook.com/sharer/sharer.php?u=${enc(`https://ngo.example/es/accion?ref=home&utm_source=facebook&utm_medium=share&utm_campaign=${DEMO_SLUG}`)}`,
    );
    const fromMail = await signed({ shareUrl: `https://ngo.example/act?${ACTION_PARAM}=tok_secret` });
    expect(link(fromMail, 'Facebook').href, 'an action token is never shared').not.to.contain('tok_secret');
    const hostile = await signed({ shareUrl: 'javascript:alert(1)' });
    expect(link(hostile, 'Facebook').href).to.equal(`https://www.facebook.com/sharer/sharer.php?u=${enc(tagged('facebook'))}`);
  });

  it('without any share URL, the page itself, without the action-link parameter', async () => {
    mock.worker.use(...petitionScenarios.open({ petition: { shareUrl: null } }));
    visit(`?page=1&${ACTION_PARAM}=tok_expired`);
    const el = await signed();
    const shared = new URL(decodeURIComponent(link(el, 'Facebook').href.split('?u=')[1]));
    expect(shared.origin + shared.pathname).to.equal(location.origin + location.pathname);
    expect(shared.searchParams.get(ACTION_PARAM)).to.equal(null);
    expect(shared.searchParams.get('page')).to.equal('1');
    expect(shared.searchParams.get('utm_source')).to.equal('facebook');
  });

  it('"Copy link" copies the tagged link and says so, visibly and politely', async () => {
    let copied = '';
    stub(navigator, 'clipboard', { writeText: async (t: string) => void (copied = t) } as unknown as Clipboard);
    const el = await signed();
    shareButton(el, 'copy').click();
    await until(() => status(el) === 'Link copied', () => `"Link copied" announced (it is "${status(el)}")`);
    expect(copied).to.equal(tagged('copy'));
    expect(norm(get(el, '[part~="share"]').textContent)).to.contain('Link copied');
  });

  it('Signal (no web share address): copies the text and link, and says to paste it into Signal', async () => {
    let copied = '';
    stub(navigator, 'clipboard', { writeText: async (t: string) => void (copied = t) } as unknown as Clipboard);
    const el = await signed();
    shareButton(el, 'signal').click();
    await until(() => status(el) === 'Copied: paste it into Signal', () => 'the Signal note');
    expect(copied).to.equal(`${EN.shareText} ${tagged('signal')}`);
  });

  it('when the clipboard refuses, the link is shown in a field to copy by hand', async () => {
    stub(navigator, 'clipboard', { writeText: async () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } as unknown as Clipboard);
    const el = await signed();
    shareButton(el, 'copy').click();
    await until(() => $(el, '#share-url'), () => 'the link field');
    expect(get<HTMLInputElement>(el, '#share-url').value).to.equal(tagged('copy'));
    expect(get<HTMLInputElement>(el, '#share-url').readOnly).to.equal(true);
    expect(text(el, 'label[for="share-url"]')).to.equal('Copy this link:');
  });

  it('Mastodon asks for the server, checks it is a host name, then opens its share page', async () => {
    const opened: unknown[][] = [];
    stub(window, 'open', ((...args: unknown[]) => void opened.push(args)) as unknown as typeof window.open);
    const shares = record<CompaShareDetail>(document, 'compa-share');
    const el = await signed();
    shareButton(el, 'mastodon').click();
    await until(() => focused(el)?.id === 'mastodon', () => 'focus on the server field');
    expect(text(el, 'label[for="mastodon"]')).to.equal('Your Mastodon server');
    const input = get<HTMLInputElement>(el, '#mastodon');
    const go = () => get<HTMLButtonElement>(el, '[part~="share"] form button[type="submit"]').click();

    input.value = 'not a server';
    go();
    await until(() => $(el, '#mastodon-error'), () => 'the error');
    expect(text(el, '#mastodon-error')).to.equal('Enter a server name, like mastodon.social.');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.equal('mastodon-error');
    expect(opened).to.have.length(0);

    input.value = '@ana@Mastodon.Social/';
    go();
    await until(() => opened.length === 1, () => 'the share page');
    expect(opened[0]).to.deep.equal([
      `https://Mastodon.Social/share?text=${enc(`${EN.shareText} ${tagged('mastodon')}`)}`,
      '_blank',
      'noopener,noreferrer',
    ]);
    expect(shares.map((e) => e.detail.channel)).to.deep.equal(['mastodon']);
  });

  it('uses the device’s share sheet when there is one', async () => {
    const calls: ShareData[] = [];
    stub(navigator, 'share', (async (data: ShareData) => void calls.push(data)) as Navigator['share']);
    const shares = record<CompaShareDetail>(document, 'compa-share');
    const el = await signed();
    shareButton(el, 'native').click();
    await until(() => calls.length === 1, () => 'navigator.share');
    expect(calls[0]).to.deep.equal({ title: EN.title, text: EN.shareText, url: tagged('native') });
    expect(shares.map((e) => e.detail.channel)).to.deep.equal(['native']);
  });

  it('no share sheet button where the browser has none', async () => {
    stub(navigator, 'share', undefined as unknown as Navigator['share']);
    const el = await signed();
    expect($(el, 'button[data-channel="native"]')).to.equal(null);
    expect($(el, 'button[data-channel="copy"]')).to.not.equal(null);
  });

  it('is offered in check-inbox too', async () => {
    mock.worker.use(...petitionScenarios.verify());
    const el = await mount();
    await fillAndSubmit(el);
    await reach(el, 'check-inbox');
    await until(() => $(el, '[part~="share"]'), () => 'the sharing panel');
    expect(norm(base(el).textContent)).to.contain('WhatsApp');
  });
});

describe('<compa-petition> sharing: the supporter’s own identifiers are never shared onward', () => {
  it('the page’s address loses the mailing, CRM and ad-click ids it arrived with (keeps its own parameters)', async () => {
    mock.worker.use(...petitionScenarios.open({ petition: { shareUrl: null } }));
    // ActionKit, CiviCRM (contact id + checksum), Mailchimp, HubSpot, Marketo, ConvertKit, ad clicks, an incoming campaign.
    visit(
      '?page=1&akid=.1234.abcd&cid=42&cs=0123abcd_1_168&mc_eid=5f3e&mc_cid=9a&_hsenc=p2A&_hsmi=77&mkt_tok=eyJ&ck_subscriber_id=8' +
        '&fbclid=IwAR&gclid=Cj0&msclkid=m1&email=ana%40example.org&utm_content=mail&utm_term=x#sign',
    );
    const el = await signed();
    for (const channel of ['Facebook', 'Telegram']) {
      const href = link(el, channel).href;
      const shared = new URL(decodeURIComponent(/[?&]u(?:rl)?=([^&]+)/.exec(href)![1]));
      expect([...shared.searchParams.keys()], channel).to.deep.equal(['page', 'utm_source', 'utm_medium', 'utm_campaign']);
      expect(shared.hash).to.equal('#sign');
    }
    const sheet: ShareData[] = [];
    stub(navigator, 'share', (async (d: ShareData) => void sheet.push(d)) as Navigator['share']);
    el.requestUpdate();
    await el.updateComplete;
    shareButton(el, 'native').click();
    await until(() => sheet.length === 1, () => 'navigator.share');
    expect(sheet[0].url).not.to.match(/akid|cs=|mc_eid|_hs|mkt_tok|ck_sub|fbclid|gclid|msclkid|email|utm_content/);
  });
});
