/**
 * `<compa-webinar>` accessibility (WCAG 2.2 AA) and layout: axe-core in every state × every locale, visible
 * labels, keyboard use end to end (the form, and a series' list), right-to-left, reflow at 320 px with targets of
 * at least 24 × 24 px, and what stays visible in forced colours.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { webinarScenarios } from '../mocks/webinar-handlers.ts';
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
  posts,
  reach,
  speaks,
  tabbing,
  until,
  useWidgetPage,
  visibleText,
} from './common.helpers.ts';
import { DEMO_SERIES, STATES, inState, mount, openFromList, uniqueApi, type CompaWebinar } from './webinar.helpers.ts';

const mock = useWidgetPage();

/** Everything a supporter can operate (visible buttons, inputs, text areas, links). */
const controls = (el: CompaWebinar) => operable(el, 'button, input, textarea, a');

describe('<compa-webinar> passes axe', () => {
  itPassesAxeInEveryState(mock, STATES, inState);

  it('a series’ webinar opened in place, with errors on every kind of question', async () => {
    mock.worker.use(...webinarScenarios.series({ series: [{ slug: 'talk-lawyers', status: 'upcoming', questions: [] }] }));
    const el = await mount({ series: DEMO_SERIES }, 'list');
    await openFromList(el, 'talk-lawyers');
    await expect(el).to.be.accessible();
    mock.worker.use(...webinarScenarios.questions());
    const withQuestions = await mount();
    get(withQuestions, 'form button[type="submit"]').click();
    await until(() => $$(withQuestions, '[aria-invalid="true"]').length === 6, () => 'six errors');
    await expect(withQuestions).to.be.accessible();
  });
});

describe('<compa-webinar> labels', () => {
  for (const locale of LOCALES) {
    it(`every field has a visible label (${locale})`, async () => {
      mock.worker.use(...webinarScenarios.questions());
      const el = await mount({ lang: locale });
      await speaks(el, locale);
      const fields = $$<HTMLInputElement>(el, 'input, textarea').filter((i) => !i.closest('[aria-hidden="true"]'));
      expect(fields.map((i) => i.id)).to.deep.equal([
        'name',
        'email',
        'q-organisation',
        'q-role-listen',
        'q-role-ask',
        'q-role-press',
        'q-captions',
        'q-recorded',
        'q-question',
        'consent',
      ]);
      for (const field of fields) {
        const label = el.shadowRoot!.querySelector(`label[for="${field.id}"]`);
        expect(label, `a label for #${field.id}`).to.not.equal(null);
        expect(isShown(label!) && visibleText(label!).length > 1, `the label of #${field.id} is visible`).to.equal(true);
        expect([...field.labels!]).to.include(label);
      }
      // The choice's group is named by its visible legend.
      const group = get(el, 'fieldset');
      expect(group.getAttribute('aria-labelledby')).to.equal(group.querySelector('legend')!.id);
    });
  }
});

describe('<compa-webinar> keyboard', () => {
  it('works end to end with the keyboard, with a visible focus ring', async () => {
    mock.worker.use(...webinarScenarios.questions());
    const el = await mount();
    get(el, '#name').focus();
    await sendKeys({ type: 'Ana García' });
    const { order, tab } = tabbing(el);
    await tab(); // email
    await sendKeys({ type: 'ana@example.org' });
    await tab(); // organisation
    await sendKeys({ type: 'PBI' });
    await tab(); // the choice: its first radio button
    await sendKeys({ press: 'ArrowDown' }); // the second
    await tab(); // captions
    await tab(); // recorded
    await sendKeys({ press: 'Space' });
    await tab(); // question
    await tab(); // consent
    await sendKeys({ press: 'Space' });
    await tab(); // privacy policy link
    await tab(); // register
    expect(order).to.deep.equal([
      'email',
      'q-organisation',
      'q-role-listen',
      'q-captions',
      'q-recorded',
      'q-question',
      'consent',
      'privacy policy (opens in a new tab)',
      'Register',
    ]);
    const ring = getComputedStyle(focused(el)!);
    expect([ring.outlineStyle, ring.outlineWidth]).to.deep.equal(['solid', '3px']);
    await sendKeys({ press: 'Enter' });
    await reach(el, 'registered');
    await until(() => focused(el)?.id === 'result', () => 'focus on the result');
    expect((posts()[0].body as { answers: unknown }).answers).to.deep.equal({ organisation: 'PBI', role: 'ask', captions: false, recorded: true });
  });

  it('a series: Enter on "Register" opens the webinar (focus on its title); "All webinars" goes back to the button', async () => {
    mock.worker.use(...webinarScenarios.series());
    const el = await mount({ series: DEMO_SERIES }, 'list');
    get(el, '#open-talk-lawyers').focus();
    await sendKeys({ press: 'Enter' });
    await reach(el, 'idle');
    await until(() => focused(el)?.id === 'heading', () => 'focus on the title');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(focused(el)?.id).to.equal('back');
    await sendKeys({ press: 'Enter' });
    await reach(el, 'list');
    await until(() => focused(el)?.id === 'open-talk-lawyers', () => 'focus back on the button');
  });
});

describe('<compa-webinar> right to left', () => {
  for (const [variant, options] of Object.entries(RTL_VARIANTS)) {
    it(`mirrors the layout (${variant})`, async () => {
      const el = await inState(mock.worker, 'error', 'en', options);
      expect(getComputedStyle(base(el)).direction).to.equal('rtl');
      const box = base(el).getBoundingClientRect();
      const padding = parseFloat(getComputedStyle(base(el)).paddingInlineStart);
      const submit = get(el, 'form button[type="submit"]').getBoundingClientRect();
      expect(Math.abs(box.right - padding - submit.right), 'the button starts on the right').to.be.lessThan(2);
      const consent = get(el, '#consent').getBoundingClientRect();
      expect(consent.left, 'the checkbox is right of its label').to.be.greaterThan(get(el, 'label[for="consent"]').getBoundingClientRect().right - 1);
      const alert = getComputedStyle(get(el, '[role="alert"]'));
      expect([alert.borderRightWidth, alert.borderLeftWidth]).to.deep.equal(['4px', '0px']);
      const photo = get(el, '[part~="photo"]').getBoundingClientRect();
      expect(photo.left, 'the photo is right of the name').to.be.greaterThan(get(el, '[part~="speaker"] strong').getBoundingClientRect().right - 1);
      await expect(el).to.be.accessible();
    });
  }

  it('is left to right by default (the same checks fail the other way round)', async () => {
    const el = await inState(mock.worker, 'error', 'en');
    const box = base(el).getBoundingClientRect();
    const padding = parseFloat(getComputedStyle(base(el)).paddingInlineStart);
    expect(Math.abs(get(el, 'form button[type="submit"]').getBoundingClientRect().left - box.left - padding)).to.be.lessThan(2);
    expect(getComputedStyle(get(el, '[role="alert"]')).borderLeftWidth).to.equal('4px');
  });

  it('the webinar’s texts keep their own direction in a right-to-left widget', async () => {
    const el = await mount({ dir: 'rtl' });
    for (const selector of ['[part~="heading"]', '[part~="description"]', '[part~="speaker"] strong']) {
      expect(get(el, selector).getAttribute('dir'), selector).to.equal('auto');
    }
    expect(getComputedStyle(get(el, '[part~="description"]')).direction, 'English text stays left to right').to.equal('ltr');
  });
});

describe('<compa-webinar> at 320 px wide: no horizontal overflow, targets ≥ 24 × 24 px', () => {
  for (const name of Object.keys(STATES)) {
    for (const locale of LOCALES) {
      it(`${name}, ${locale}`, async () => {
        const el = await inState(mock.worker, name, locale, { wrap: narrow });
        // Links inside a sentence are exempt from 2.5.8 (inline targets).
        expectReflowAt320(el, controls(el), (control) => control.localName === 'a' && !control.matches('[part~="recording"]'));
      });
    }
  }

  it('still fits 320 px at 200 % text size', async () => {
    mock.worker.use(...webinarScenarios.questions());
    await expectFitsAt200Percent('compa-webinar', { api: uniqueApi(), webinar: 'defenders-under-threat', 'time-zone': 'America/New_York' });
  });
});

describe('<compa-webinar> no meaning in colour alone', () => {
  it('in forced colours (Windows high contrast) an invalid field keeps a thicker border, beside its error text', async () => {
    const el = await mount();
    const rules = [...el.shadowRoot!.adoptedStyleSheets].flatMap((s) => [...s.cssRules]);
    const forced = rules.filter((r): r is CSSMediaRule => r instanceof CSSMediaRule && /forced-colors:\s*active/.test(r.conditionText));
    const inner = forced.flatMap((r) => [...r.cssRules]) as CSSStyleRule[];
    const invalid = inner.find((r) => r.selectorText.includes('aria-invalid'));
    expect(invalid?.style.getPropertyValue('border-top-width')).to.equal('3px');
    get(el, 'form button[type="submit"]').click();
    await until(() => get(el, '#name').getAttribute('aria-invalid') === 'true', () => 'the error');
    expect(visibleText(get(el, '#name-error'))).to.equal('Enter your name.');
  });

  it('few places left, full, started: said in words', async () => {
    mock.worker.use(...webinarScenarios.series());
    const el = await mount({ series: DEMO_SERIES }, 'list');
    expect(visibleText(base(el))).to.contain('Only 2 places left').and.contain('Full: waitlist open').and.contain('Started: registration closed');
  });
});
