import { css } from 'lit';

/**
 * The styles every Compa element shares, and the global design tokens.
 *
 * Theming has three tiers: global tokens (`--compa-<category>-<name>`, set anywhere above the element),
 * per-widget properties (`--compa-<widget>-<prop>`), and `::part()`s. Tokens resolve on `:host` into private
 * `--_<name>` variables with built-in defaults (or, when used once, into `var(--compa-…, default)` at the point
 * of use), so a widget looks right on a page with no CSS at all.
 *
 * Defaults meet WCAG 2.2 AA on the default white surface: text #1f2328 15.8:1, muted #5c6670 5.9:1,
 * primary #1d4ed8 6.7:1 (white on primary too), danger #b3261e 6.5:1 (5.7:1 on its tint #fdecea), input
 * borders #6b7480 4.7:1 (non-text minimum 3:1). The focus ring is 3px, offset 2px, in the primary colour.
 *
 * Page CSS reaches the shadow tree only through inherited properties, so the root (`part="base"`) resets
 * them all (`all: initial`: no inherited `text-transform`, `letter-spacing`, `white-space`, `text-align`,
 * colour…) and re-inherits only the font. `all` leaves `direction` alone, so `dir="rtl"` works: layouts use
 * logical properties only. Each widget gives its root a `display`.
 */
export const hostStyles = css`
:host{
--_primary:var(--compa-color-primary,#1d4ed8);
--_surface:var(--compa-color-surface,#fff);
--_border:var(--compa-color-border,#6b7480);
--_danger:var(--compa-color-danger,#b3261e);
--_radius:var(--compa-radius,.375em);
--_space:var(--compa-space,1em);
display:block;
font-family:var(--compa-font-family,inherit);
line-height:var(--compa-line-height,1.5)
}
:host([hidden]),[hidden]{display:none!important}
*,::before,::after{box-sizing:border-box}
[part~=base]{all:initial;font:inherit;color:var(--compa-color-text,#1f2328);overflow-wrap:anywhere}
button,input{font:inherit;color:inherit;margin:0}
:focus-visible{outline:3px solid var(--compa-focus-ring-color,var(--_primary));outline-offset:2px}
a{color:var(--_primary)}
.vh{position:absolute!important;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`;
