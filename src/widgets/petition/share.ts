/**
 * Sharing after signing (`<compa-petition>` in `signed` and `check-inbox`), loaded lazily on the first focus in
 * the form. Only plain links and browser features: no third-party script, pixel or frame, and nothing is
 * requested from any other host until the supporter follows a link.
 *
 * The shared URL is the `share-url` attribute, else the petition's `shareUrl`, else the host page; only http(s),
 * without the supporter's own identifiers (`PERSONAL`). Each channel adds
 * `utm_source=<channel>&utm_medium=share&utm_campaign=<slug>` so that the organisation can count shares.
 * Every use dispatches `compa-share` `{campaign, channel}`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { msg } from '../../core/msg.ts';
import type { Petition } from '../../schemas/petition.ts';
import { ACTION_PARAM, CAMPAIGN_PARAM, type CompaPetition } from './petition.ts';

/**
 * Parameters that identify the supporter, or the link they arrived by, and so are never shared onward: the
 * action link's token, campaign tags (replaced by ours), mailing and CRM contact ids (ActionKit `akid`,
 * CiviCRM `cid` + `cs` checksum, Mailchimp, HubSpot, Marketo, ConvertKit, Vero), ad-click ids and addresses.
 */
const PERSONAL = new RegExp(
  `^(${ACTION_PARAM}|${CAMPAIGN_PARAM}|utm_\\w+|akid|cid|cs|mc_[ec]id|_hs(enc|mi)|mkt_tok|ck_subscriber_id|vero_id|fbclid|gclid|[gw]braid|dclid|msclkid|twclid|ttclid|igshid|li_fat_id|e?mail)$`,
  'i',
);

/** A Mastodon server's host name (`mastodon.social`, `eldritch.cafe`): dot-separated labels, no scheme or path. */
const HOST = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;

/** What each element's sharing panel shows besides its links. */
interface PanelState {
  /** The Mastodon server field is open; `invalid`: what was typed is not a host name. */
  mastodon?: 'open' | 'invalid';
  /** What was just copied, or `failed` when the clipboard refused: the link is then shown to copy by hand. */
  copied?: 'link' | 'signal' | 'failed';
}
const panels = new WeakMap<CompaPetition, PanelState>();

const e = encodeURIComponent;

/** The URL to share through `channel`, with its source parameters; undefined when there is no http(s) URL. */
export function shareLink(el: CompaPetition, p: Petition, channel: string): string | undefined {
  for (const candidate of [el.shareUrl, p.shareUrl, location.href]) {
    if (!candidate) continue;
    let url: URL;
    try {
      url = new URL(candidate, document.baseURI);
    } catch {
      continue;
    }
    if (!/^https?:$/.test(url.protocol)) continue;
    for (const name of [...url.searchParams.keys()]) if (PERSONAL.test(name)) url.searchParams.delete(name);
    url.searchParams.set('utm_source', channel);
    url.searchParams.set('utm_medium', 'share');
    url.searchParams.set('utm_campaign', p.slug);
    return url.href;
  }
  return undefined;
}

/** The links of the channels that have a web address, in the order shown. `u`: URL, `t`: text, `s`: subject. */
const LINKS: [channel: string, name: string, href: (u: string, t: string, s: string) => string][] = [
  ['whatsapp', 'WhatsApp', (u, t) => `https://wa.me/?text=${e(`${t} ${u}`)}`],
  ['telegram', 'Telegram', (u, t) => `https://t.me/share/url?url=${e(u)}&text=${e(t)}`],
  ['bluesky', 'Bluesky', (u, t) => `https://bsky.app/intent/compose?text=${e(`${t} ${u}`)}`],
  ['x', 'X', (u, t) => `https://x.com/intent/post?text=${e(t)}&url=${e(u)}`],
  ['facebook', 'Facebook', (u) => `https://www.facebook.com/sharer/sharer.php?u=${e(u)}`],
  ['email', '', (u, t, s) => `mailto:?subject=${e(s)}&body=${e(`${t}\n\n${u}`)}`],
];

export function renderShare(el: CompaPetition, p: Petition): TemplateResult | typeof nothing {
  if (!shareLink(el, p, 'copy')) return nothing;
  const state = panels.get(el) ?? {};
  const set = (next: PanelState) => {
    panels.set(el, next);
    el.requestUpdate();
  };
  const text = p.shareText || p.title;
  const shared = (channel: string) => el.emit('compa-share', { campaign: el.campaign, channel });
  const newTab = html`<span class="vh">${msg(' (opens in a new tab)', { desc: 'Screen-reader-only hint after a link that opens a new tab. Keep the leading space.' })}</span>`;

  const copy = async (channel: 'copy' | 'signal') => {
    shared(channel);
    const url = shareLink(el, p, channel)!;
    try {
      await navigator.clipboard.writeText(channel === 'copy' ? url : `${text} ${url}`);
      set({ copied: channel === 'copy' ? 'link' : 'signal' });
      void el.say(() =>
        channel === 'copy'
          ? msg('Link copied', { desc: 'Announced and shown after the petition link was copied.' })
          : msg('Copied: paste it into Signal', { desc: 'Shown after the share text and link were copied for Signal.' }),
      );
    } catch {
      set({ copied: 'failed' });
    }
  };

  const native = async () => {
    shared('native');
    try {
      await navigator.share({ title: p.title, text, url: shareLink(el, p, 'native') });
    } catch {
      /* cancelled by the supporter, or refused */
    }
  };

  const mastodon = (ev: Event) => {
    ev.preventDefault();
    const input = (ev.target as HTMLFormElement).elements.namedItem('mastodon') as HTMLInputElement;
    // Accepts "mastodon.social", "https://mastodon.social/", "@ana@mastodon.social".
    const host = input.value
      .trim()
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/[/?#].*$/, '')
      .replace(/^.*@/, '');
    if (!HOST.test(host)) {
      set({ mastodon: 'invalid' });
      input.focus();
      return;
    }
    shared('mastodon');
    open(`https://${host}/share?text=${e(`${text} ${shareLink(el, p, 'mastodon')}`)}`, '_blank', 'noopener,noreferrer');
    set({});
  };

  const link = (channel: string, name: string, href: string) =>
    html`<li>
      <a part="share-link" href=${href} target=${channel === 'email' ? nothing : '_blank'} rel="noopener noreferrer" @click=${() => shared(channel)}
        >${name}${channel === 'email' ? nothing : newTab}</a
      >
    </li>`;
  const button = (channel: string, name: string, click: () => void) =>
    html`<li><button part="share-link" type="button" data-channel=${channel} @click=${click}>${name}</button></li>`;

  const invalid = state.mastodon === 'invalid';
  return html`<div part="share" role="group" aria-labelledby="share-heading" class="panel">
    <p id="share-heading"><strong>${msg('Ask others to sign too:', { desc: 'Heading of the sharing buttons after signing.' })}</strong></p>
    <ul role="list">
      ${typeof navigator.share == 'function' ? button('native', msg('Share…', { desc: 'Button that opens the device’s own sharing menu.' }), native) : nothing}
      ${LINKS.map(([channel, name, href]) => {
        const url = shareLink(el, p, channel)!;
        const item = link(channel, name || msg('Email', { desc: 'Share the petition by email.' }), href(url, text, p.title));
        return channel === 'telegram'
          ? html`${button('signal', 'Signal', () => copy('signal'))}${item}`
          : channel === 'x'
            ? html`${button('mastodon', 'Mastodon', () => {
                set({ mastodon: 'open' });
                void el.updateComplete.then(() => el.renderRoot.querySelector<HTMLElement>('#mastodon')?.focus());
              })}${item}`
            : item;
      })}
      ${button('copy', msg('Copy link', { desc: 'Button that copies the petition’s link.' }), () => copy('copy'))}
    </ul>
    ${state.copied === 'link'
      ? html`<p>${msg('Link copied', { desc: 'Announced and shown after the petition link was copied.' })}</p>`
      : state.copied === 'signal'
        ? html`<p>${msg('Copied: paste it into Signal', { desc: 'Shown after the share text and link were copied for Signal.' })}</p>`
        : state.copied === 'failed'
          ? html`<div part="field">
              <label part="label" for="share-url">${msg('Copy this link:', { desc: 'Label of a field holding the link, shown when copying automatically failed.' })}</label>
              <input part="input" id="share-url" readonly .value=${shareLink(el, p, 'copy')!} @focus=${(ev: Event) => (ev.target as HTMLInputElement).select()} />
            </div>`
          : nothing}
    ${state.mastodon
      ? html`<form class="panel" @submit=${mastodon}>
          <div part="field">
            <label part="label" for="mastodon">${msg('Your Mastodon server', { desc: 'Label of the field asking for the supporter’s Mastodon server, e.g. mastodon.social.' })}</label>
            <input part="input" id="mastodon" name="mastodon" autocomplete="off" spellcheck="false" placeholder="mastodon.social"
              aria-invalid=${invalid} aria-describedby=${invalid ? 'mastodon-error' : ''} />
            ${invalid
              ? html`<p part="error" id="mastodon-error">${msg('Enter a server name, like mastodon.social.', { desc: 'Error when the Mastodon server typed is not a host name.' })}</p>`
              : nothing}
          </div>
          <button part="button" type="submit">${msg('Share on Mastodon', { desc: 'Opens the supporter’s Mastodon server to post the petition.' })}</button>
        </form>`
      : nothing}
  </div>`;
}
