/**
 * `<compa-petition>` accessibility (WCAG 2.2 AA) and layout: axe-core in every state × every locale, visible
 * labels, keyboard use end to end, right-to-left, reflow at 320 px with targets of at least 24 × 24 px, and
 * reduced motion for the progress bar.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { SetupWorker } from 'msw/browser';
import type { TemplateResult } from 'lit';
import { useMockApi } from '../mocks/browser.ts';
import {
  $$,
  LOCALES,
  STATES,
  base,
  cleanUp,
  get,
  inState,
  isShown,
  mount,
  norm,
  reach,
  speaks,
  stub,
  uniqueApi,
  until,
  visibleText,
  type CompaPetition,
} from './petition.helpers.ts';

let worker: SetupWorker;
beforeEach(async () => {
  worker = await useMockApi();
  // Deterministic layout and texts: no share sheet button (present on some platforms only).
  stub(navigator, 'share', undefined as unknown as Navigator['share']);
});
afterEach(cleanUp);

const focused = (el: CompaPetition) => el.shadowRoot!.activeElement as HTMLElement | null;
/** Everything a supporter can operate (visible buttons, inputs, selects, links, the "Read more" summary). */
const controls = (el: CompaPetition) =>
  $$(el, 'button, input, select, textarea, a, summary').filter((c) => isShown(c) && !c.closest('[aria-hidden="true"]'));

describe('<compa-petition> passes axe', () => {
  for (const name of Object.keys(STATES)) {
    for (const locale of LOCALES) {
      it(`${name}, ${locale}`, async () => {
        const el = await inState(worker, name, locale);
        expect(base(el).getAttribute('lang'), 'the widget’s own lang (3.1.2)').to.equal(locale);
        await expect(el).to.be.accessible();
      });
    }
  }
  it('with the text open and the Mastodon field showing an error', async () => {
    const el = await inState(worker, 'signed', 'en');
    get<HTMLDetailsElement>(el, '[part~="body"]').open = true;
    get(el, 'button[data-channel="mastodon"]').click();
    await until(() => el.shadowRoot!.querySelector('#mastodon'), () => 'the Mastodon field');
    get(el, '[part~="share"] form button[type="submit"]').click();
    await until(() => el.shadowRoot!.querySelector('#mastodon-error'), () => 'its error');
    await expect(el).to.be.accessible();
  });
});

describe('<compa-petition> labels', () => {
  for (const locale of LOCALES) {
    it(`every field has a visible label (${locale})`, async () => {
      const el = await mount({ lang: locale });
      await speaks(el, locale);
      const fields = $$<HTMLInputElement>(el, 'input, select, textarea').filter((i) => !i.closest('[aria-hidden="true"]'));
      expect(fields.map((i) => i.id)).to.deep.equal(['firstName', 'lastName', 'email', 'country', 'comment', 'keepInformed', 'remember']);
      for (const field of fields) {
        const label = el.shadowRoot!.querySelector(`label[for="${field.id}"]`);
        expect(label, `a label for #${field.id}`).to.not.equal(null);
        expect(isShown(label!) && visibleText(label!).length > 1, `the label of #${field.id} is visible`).to.equal(true);
        expect([...field.labels!]).to.include(label);
      }
    });
  }
});

describe('<compa-petition> keyboard', () => {
  it('works end to end with the keyboard, with a visible focus ring', async () => {
    stub(navigator, 'languages', ['en'] as readonly string[]);
    const el = await mount({ compact: true });
    get(el, '#firstName').focus();
    await sendKeys({ type: 'Ana' });
    const order: string[] = [];
    const tab = async () => {
      await sendKeys({ press: 'Tab' });
      const f = focused(el);
      order.push(f?.id || norm(f?.textContent));
    };
    await tab(); // last name
    await tab(); // email
    await sendKeys({ type: 'ana@example.org' });
    await tab(); // country
    await sendKeys({ type: 'Colombia' });
    await tab(); // comment
    await tab(); // keep informed
    await tab(); // privacy policy link
    await tab(); // remember
    await tab(); // sign
    expect(order).to.deep.equal([
      'lastName',
      'email',
      'country',
      'comment',
      'keepInformed',
      'privacy policy (opens in a new tab)',
      'remember',
      'Sign',
    ]);
    expect(get<HTMLSelectElement>(el, '#country').value).to.equal('CO');
    const ring = getComputedStyle(focused(el)!);
    expect([ring.outlineStyle, ring.outlineWidth]).to.deep.equal(['solid', '3px']);
    await sendKeys({ press: 'Enter' });
    await reach(el, 'signed');
    await until(() => focused(el)?.id === 'result', () => 'focus on the thanks');
    await tab();
    expect(order.at(-1)).to.equal('WhatsApp (opens in a new tab)');
    expect(getComputedStyle(focused(el)!).outlineStyle).to.equal('solid');
  });

  it('"Read more" opens with the keyboard', async () => {
    const el = await mount();
    get(el, '[part~="body"] summary').focus();
    await sendKeys({ press: 'Enter' });
    expect(get<HTMLDetailsElement>(el, '[part~="body"]').open).to.equal(true);
  });
});

describe('<compa-petition> right to left', () => {
  const variants: Record<string, { dir?: string; wrap?: (w: TemplateResult) => TemplateResult }> = {
    'dir="rtl" on the element': { dir: 'rtl' },
    'dir="rtl" on the page': { wrap: (w) => html`<div dir="rtl">${w}</div>` },
  };
  for (const [variant, options] of Object.entries(variants)) {
    it(`mirrors the layout (${variant})`, async () => {
      const el = await inState(worker, 'error', 'en', options);
      expect(getComputedStyle(base(el)).direction).to.equal('rtl');
      const box = base(el).getBoundingClientRect();
      const padding = parseFloat(getComputedStyle(base(el)).paddingInlineStart);
      const sign = get(el, 'form button[type="submit"]').getBoundingClientRect();
      expect(Math.abs(box.right - padding - sign.right), 'the button starts on the right').to.be.lessThan(2);
      const remember = get(el, '#remember').getBoundingClientRect();
      expect(remember.left, 'the checkbox is right of its label').to.be.greaterThan(get(el, 'label[for="remember"]').getBoundingClientRect().right - 1);
      const alert = getComputedStyle(get(el, '[role="alert"]'));
      expect([alert.borderRightWidth, alert.borderLeftWidth]).to.deep.equal(['4px', '0px']);
      // The progress bar fills from the right.
      const track = get(el, '[part~="progress"]').getBoundingClientRect();
      const fill = get(el, '[part~="bar"]').getBoundingClientRect();
      expect(Math.abs(track.right - fill.right)).to.be.lessThan(1);
      expect(fill.left - track.left).to.be.greaterThan(10);
      await expect(el).to.be.accessible();
    });
  }

  it('is left to right by default (the same checks fail the other way round)', async () => {
    const el = await inState(worker, 'error', 'en');
    const box = base(el).getBoundingClientRect();
    const padding = parseFloat(getComputedStyle(base(el)).paddingInlineStart);
    const sign = get(el, 'form button[type="submit"]').getBoundingClientRect();
    expect(Math.abs(sign.left - box.left - padding)).to.be.lessThan(2);
    const track = get(el, '[part~="progress"]').getBoundingClientRect();
    expect(Math.abs(get(el, '[part~="bar"]').getBoundingClientRect().left - track.left)).to.be.lessThan(1);
  });
});

describe('<compa-petition> at 320 px wide: no horizontal overflow, targets ≥ 24 × 24 px', () => {
  const narrow = (w: TemplateResult) => html`<div style="width:320px">${w}</div>`;
  for (const name of Object.keys(STATES)) {
    for (const locale of LOCALES) {
      it(`${name}, ${locale}`, async () => {
        const el = await inState(worker, name, locale, { wrap: narrow });
        get<HTMLDetailsElement>(el, '[part~="base"]').querySelector('details')?.setAttribute('open', '');
        await el.updateComplete;
        const b = base(el);
        expect(b.scrollWidth, 'the content fits its card').to.be.at.most(b.clientWidth);
        expect(el.getBoundingClientRect().width, 'the card fits 320 px').to.be.at.most(320);
        const card = b.getBoundingClientRect();
        for (const control of controls(el)) {
          const r = control.getBoundingClientRect();
          const what = `${control.localName}#${control.id || norm(control.textContent)}`;
          expect(r.left >= card.left - 0.5 && r.right <= card.right + 0.5, `${what} is inside the card`).to.equal(true);
          // Links inside a sentence are exempt from 2.5.8 (inline targets).
          if (control.localName === 'a' && !control.matches('[part~="share-link"]')) continue;
          expect(r.width, `${what} width`).to.be.at.least(24);
          expect(r.height, `${what} height`).to.be.at.least(24);
        }
      });
    }
  }

  it('still fits 320 px at 200 % text size', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width:320px;font-size:32px"></div>`);
    const el = document.createElement('compa-petition');
    el.setAttribute('api', uniqueApi());
    el.setAttribute('campaign', 'protect-land-defenders');
    wrapper.append(el);
    await reach(el, 'idle');
    expect(base(el).scrollWidth).to.be.at.most(base(el).clientWidth);
  });
});

describe('<compa-petition> motion', () => {
  it('animates the progress bar, except with prefers-reduced-motion', async () => {
    const el = await mount();
    expect(getComputedStyle(get(el, '[part~="bar"]')).transitionDuration).to.equal('0.6s');
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(getComputedStyle(get(el, '[part~="bar"]')).transitionDuration).to.equal('0s');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });
});

describe('<compa-petition> review fixes: required fields, forced colours', () => {
  it('required fields say so to assistive technology (the visible cue is "(optional)" on the others)', async () => {
    const el = await mount();
    const required = (id: string) => get(el, `#${id}`).getAttribute('aria-required');
    expect(['firstName', 'email', 'country'].map(required)).to.deep.equal(['true', 'true', 'true']);
    expect(['lastName', 'comment'].map(required), 'optional fields').to.deep.equal([null, null]);
    const strict = await mount({ data: (await import('../mocks/petition-handlers.ts')).demoPetition('en', { petition: { lastName: 'required' } }) });
    expect(get(strict, '#lastName').getAttribute('aria-required')).to.equal('true');
  });

  it('in forced colours (Windows high contrast) the progress bar keeps a visible track and fill', async () => {
    const el = await mount();
    // Puppeteer can't emulate forced colours: look for the rule that keeps the bar (backgrounds are dropped there).
    const rules = [...el.shadowRoot!.adoptedStyleSheets].flatMap((s) => [...s.cssRules]);
    const forced = rules.filter((r): r is CSSMediaRule => r instanceof CSSMediaRule && /forced-colors:\s*active/.test(r.conditionText));
    const inner = forced.flatMap((r) => [...r.cssRules]) as CSSStyleRule[];
    const bar = inner.find((r) => r.selectorText.includes('bar'));
    const track = inner.find((r) => r.selectorText.includes('progress'));
    expect(bar?.style.getPropertyValue('forced-color-adjust'), 'the fill keeps its colour').to.equal('none');
    expect(bar?.style.getPropertyValue('background-color')).to.match(/^(Highlight|CanvasText)$/i);
    expect(track?.style.getPropertyValue('border-top-style'), 'the track is outlined').to.equal('solid');
  });
});
