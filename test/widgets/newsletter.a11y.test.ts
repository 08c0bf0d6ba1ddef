/**
 * `<compa-newsletter>` accessibility (WCAG 2.2 AA) and layout: axe-core in every state × every locale, visible
 * labels, target sizes, keyboard use end to end, right-to-left, and reflow at 320 px.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
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
  tabbing,
  useWidgetPage,
  visibleText,
} from './common.helpers.ts';
import { STATES, inState, mount, uniqueApi, type CompaNewsletter } from './newsletter.helpers.ts';

const mock = useWidgetPage();

/** Everything a supporter can operate (visible buttons, inputs, links) in the widget. */
const controls = (el: CompaNewsletter) => operable(el, 'button, input, a');

describe('<compa-newsletter> passes axe', () => {
  itPassesAxeInEveryState(mock, STATES, inState);
});

describe('<compa-newsletter> labels', () => {
  for (const locale of LOCALES) {
    it(`every field has a visible label (${locale})`, async () => {
      const el = await mount({ lang: locale });
      await speaks(el, locale);
      const inputs = $$<HTMLInputElement>(el, 'input').filter((i) => !i.closest('[aria-hidden="true"]'));
      expect(inputs.map((i) => i.id)).to.deep.equal([
        'email',
        'firstName',
        'list-monthly-bulletin',
        'list-urgent-actions',
        'list-field-reports',
        'consent',
      ]);
      for (const input of inputs) {
        const label = el.shadowRoot!.querySelector(`label[for="${input.id}"]`);
        expect(label, `a label for #${input.id}`).to.not.equal(null);
        expect(isShown(label!), `the label of #${input.id} is visible`).to.equal(true);
        expect(visibleText(label!), `the label of #${input.id} has visible text`).to.have.length.greaterThan(1);
        expect([...input.labels!]).to.include(label);
      }
      const legend = get(el, 'fieldset legend');
      expect(isShown(legend) && visibleText(legend).length > 1, 'the lists have a visible legend').to.equal(true);
      expect(get<HTMLInputElement>(el, '#email').autocomplete).to.equal('email');
      expect(get<HTMLInputElement>(el, '#firstName').autocomplete).to.equal('given-name');
    });
  }
});

describe('<compa-newsletter> keyboard', () => {
  it('works end to end with the keyboard, with a visible focus ring', async () => {
    const el = await mount();
    get(el, '#email').focus();
    await sendKeys({ type: 'ana@example.org' });
    const { order, tab } = tabbing(el);
    await tab(); // first name
    await tab(); // monthly-bulletin
    await tab(); // urgent-actions
    await sendKeys({ press: 'Space' });
    await tab(); // field-reports
    await tab(); // consent
    await sendKeys({ press: 'Space' });
    await tab(); // privacy link
    await tab(); // submit
    expect(order).to.deep.equal([
      'firstName',
      'list-monthly-bulletin',
      'list-urgent-actions',
      'list-field-reports',
      'consent',
      'privacy policy (opens in a new tab)',
      'Subscribe',
    ]);
    const submitStyle = getComputedStyle(focused(el)!);
    expect([submitStyle.outlineStyle, submitStyle.outlineWidth]).to.deep.equal(['solid', '3px']);

    await sendKeys({ press: 'Enter' });
    await reach(el, 'check-inbox');
    expect(focused(el)?.id).to.equal('heading');
    await tab(); // Resend
    await tab(); // Use a different email address
    expect(order.slice(-2)).to.deep.equal(['Resend the email', 'Use a different email address']);
    expect(getComputedStyle(focused(el)!).outlineStyle).to.equal('solid');
    await sendKeys({ press: 'Enter' });
    await reach(el, 'idle');
    expect(focused(el)?.id).to.equal('email');
  });
});

describe('<compa-newsletter> right to left', () => {
  for (const [variant, options] of Object.entries(RTL_VARIANTS)) {
    it(`mirrors the layout (${variant})`, async () => {
      const errors: unknown[] = [];
      const onError = (e: ErrorEvent) => errors.push(e.error);
      const consoleError = console.error;
      console.error = (...args: unknown[]) => errors.push(args);
      window.addEventListener('error', onError);
      let el: CompaNewsletter;
      try {
        el = await inState(mock.worker, 'error', 'en', options);
      } finally {
        console.error = consoleError;
        window.removeEventListener('error', onError);
      }
      expect(errors, 'renders without errors').to.deep.equal([]);
      expect(getComputedStyle(base(el)).direction).to.equal('rtl');

      const box = base(el).getBoundingClientRect();
      const submit = get(el, 'form button[type="submit"]').getBoundingClientRect();
      const padding = parseFloat(getComputedStyle(base(el)).paddingInlineStart);
      expect(Math.abs(box.right - padding - submit.right), 'the button starts on the right').to.be.lessThan(2);
      expect(submit.left - box.left, 'and not on the left').to.be.greaterThan(padding + 10);

      const consent = get(el, '#consent').getBoundingClientRect();
      const label = get(el, '#consent-label').getBoundingClientRect();
      expect(consent.left, 'the checkbox is right of its label').to.be.greaterThan(label.right - 1);

      const alert = getComputedStyle(get(el, '[role="alert"]'));
      expect([alert.borderRightWidth, alert.borderLeftWidth], 'the alert’s accent is on the right').to.deep.equal(['4px', '0px']);

      await expect(el).to.be.accessible();
    });
  }

  it('is left to right by default (the same checks fail the other way round)', async () => {
    const el = await inState(mock.worker, 'error', 'en');
    const box = base(el).getBoundingClientRect();
    const submit = get(el, 'form button[type="submit"]').getBoundingClientRect();
    const padding = parseFloat(getComputedStyle(base(el)).paddingInlineStart);
    expect(Math.abs(submit.left - box.left - padding)).to.be.lessThan(2);
    const alert = getComputedStyle(get(el, '[role="alert"]'));
    expect([alert.borderLeftWidth, alert.borderRightWidth]).to.deep.equal(['4px', '0px']);
  });
});

describe('<compa-newsletter> at 320 px wide: no horizontal overflow, targets ≥ 24 × 24 px', () => {
  for (const name of Object.keys(STATES)) {
    for (const locale of LOCALES) {
      it(`${name}, ${locale}`, async () => {
        const el = await inState(mock.worker, name, locale, { wrap: narrow });
        // Links inside a sentence are exempt from 2.5.8 (inline targets).
        expectReflowAt320(el, controls(el), (control) => control.localName === 'a');
      });
    }
  }
});

describe('<compa-newsletter> in a page with a large base font', () => {
  it('still fits 320 px at 200 % text size', async () => {
    await expectFitsAt200Percent('compa-newsletter', { api: uniqueApi() });
  });
});
