/**
 * `<compa-petition>` accessibility (WCAG 2.2 AA) and layout: axe-core in every state × every locale, visible
 * labels, keyboard use end to end, right-to-left, reflow at 320 px with targets of at least 24 × 24 px, and
 * reduced motion for the progress bar.
 */
import { expect } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import {
  $$,
  LOCALES,
  RTL_VARIANTS,
  base,
  expectFitsAt200Percent,
  expectReflowAt320,
  focused,
  get,
  isShown,
  itPassesAxeInEveryState,
  narrow,
  operable,
  reach,
  speaks,
  stub,
  tabbing,
  until,
  useWidgetPage,
  visibleText,
} from './common.helpers.ts';
import { STATES, inState, mount, uniqueApi, withoutShareSheet, type CompaPetition } from './petition.helpers.ts';

// Deterministic layout and texts: no share sheet button (present on some platforms only).
const mock = useWidgetPage({ setUp: withoutShareSheet });

/** Everything a supporter can operate (visible buttons, inputs, selects, links, the "Read more" summary). */
const controls = (el: CompaPetition) => operable(el, 'button, input, select, textarea, a, summary');

describe('<compa-petition> passes axe', () => {
  itPassesAxeInEveryState(mock, STATES, inState);
  it('with the text open and the Mastodon field showing an error', async () => {
    const el = await inState(mock.worker, 'signed', 'en');
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
    const { order, tab } = tabbing(el);
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
  for (const [variant, options] of Object.entries(RTL_VARIANTS)) {
    it(`mirrors the layout (${variant})`, async () => {
      const el = await inState(mock.worker, 'error', 'en', options);
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
    const el = await inState(mock.worker, 'error', 'en');
    const box = base(el).getBoundingClientRect();
    const padding = parseFloat(getComputedStyle(base(el)).paddingInlineStart);
    const sign = get(el, 'form button[type="submit"]').getBoundingClientRect();
    expect(Math.abs(sign.left - box.left - padding)).to.be.lessThan(2);
    const track = get(el, '[part~="progress"]').getBoundingClientRect();
    expect(Math.abs(get(el, '[part~="bar"]').getBoundingClientRect().left - track.left)).to.be.lessThan(1);
  });
});

describe('<compa-petition> at 320 px wide: no horizontal overflow, targets ≥ 24 × 24 px', () => {
  for (const name of Object.keys(STATES)) {
    for (const locale of LOCALES) {
      it(`${name}, ${locale}`, async () => {
        const el = await inState(mock.worker, name, locale, { wrap: narrow });
        get<HTMLDetailsElement>(el, '[part~="base"]').querySelector('details')?.setAttribute('open', '');
        await el.updateComplete;
        // Links inside a sentence are exempt from 2.5.8 (inline targets).
        expectReflowAt320(el, controls(el), (control) => control.localName === 'a' && !control.matches('[part~="share-link"]'));
      });
    }
  }

  it('still fits 320 px at 200 % text size', async () => {
    await expectFitsAt200Percent('compa-petition', { api: uniqueApi(), campaign: 'protect-land-defenders' });
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
