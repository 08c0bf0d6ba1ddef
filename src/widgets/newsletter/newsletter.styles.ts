import { css } from 'lit';

/** Styles of `<compa-newsletter>`; tokens (`--_primary`…) come from `hostStyles`. Logical properties only. */
export const newsletterStyles = css`
[part~=base],form{display:flex;flex-direction:column;gap:calc(var(--_space)*.875)}
[part~=base]{max-width:var(--compa-newsletter-max-width,34em);padding:var(--compa-newsletter-padding,calc(var(--_space)*1.25));background:var(--_surface);border:var(--compa-newsletter-border,1px solid #d0d7de);border-radius:var(--_radius)}
[part~=heading]{font-size:var(--compa-newsletter-heading-size,1.25em);font-weight:700;line-height:1.25}
p,fieldset{margin:0}
fieldset{padding:0;border:0;min-width:0}
label,legend{display:block;font-weight:600;padding:0}
.opt,.hint{font-weight:400;color:var(--compa-color-muted,#5c6670)}
[part~=input]{display:block;width:100%;min-height:2.75em;margin-block-start:.25em;padding:.5em .75em;border:1px solid var(--_border);border-radius:var(--_radius);background:var(--_surface)}
[aria-invalid=true]{border-color:var(--_danger);box-shadow:0 0 0 1px var(--_danger)}
.check{display:grid;grid-template-columns:auto 1fr;column-gap:.625em}
.check label{font-weight:400;padding-block:.625em}
.check>p{grid-column:2}
[part~=checkbox]{width:max(1.5em,24px);height:max(1.5em,24px);margin:.625em 0 0;accent-color:var(--_primary)}
[part~=error]{color:var(--_danger);font-weight:600}
.alert{padding:.75em 1em;border-inline-start:.25em solid;background:var(--compa-color-danger-surface,#fdecea)}
.actions{display:flex;flex-wrap:wrap;gap:.5em 1.25em}
button{align-self:start;min-height:2.75em;padding:.5em 1.25em;border:2px solid var(--_primary);border-radius:var(--_radius);background:var(--_primary);color:var(--compa-color-on-primary,#fff);font-weight:600;cursor:pointer}
button:hover{filter:brightness(.9)}
.secondary{background:var(--_surface);color:var(--_primary)}
[part~=link]{padding:0;border:0;background:none;color:var(--_primary);text-decoration:underline}
`;
