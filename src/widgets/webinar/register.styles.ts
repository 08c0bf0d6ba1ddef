import { css } from 'lit';

/** Styles of the registration form and the result panels (adopted with the registration chunk). */
export const registerStyles = css`
#result{font-weight:600}
label,legend{display:block;font-weight:600;padding:0}
.opt{font-weight:400;color:var(--compa-color-muted,#5c6670)}
fieldset{display:flex;flex-direction:column;margin:0;padding:0;border:0;min-width:0}
[part~=input]{display:block;width:100%;min-height:2.75em;margin:.25em 0 0;padding:.5em .75em;border:1px solid var(--_border);border-radius:var(--_radius);background:var(--_surface);font:inherit;color:inherit}
textarea[part~=input]{resize:vertical}
[aria-invalid=true]:not(fieldset){border-color:var(--_danger);box-shadow:0 0 0 1px var(--_danger)}
fieldset[aria-invalid=true]{padding-inline-start:.75em;border-inline-start:.25em solid var(--_danger)}
.check{display:grid;grid-template-columns:auto 1fr;column-gap:.625em}
.check label{font-weight:400;padding-block:.625em}
.check>p{grid-column:2}
@media (forced-colors:active){[part~=input][aria-invalid=true]{border-width:3px}}
[part~=checkbox],[part~=radio]{width:max(1.5em,24px);height:max(1.5em,24px);margin:.625em 0 0;accent-color:var(--_primary)}
`;
