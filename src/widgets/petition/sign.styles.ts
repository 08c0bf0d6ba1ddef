import { css } from 'lit';

/** Styles of the form, the one-click button, the result panels and sharing (adopted with the signing chunk). */
export const signStyles = css`
#result{font-weight:600}
.row{display:flex;flex-wrap:wrap;gap:inherit}
.row>*{flex:1 1 12em}
label{display:block;font-weight:600}
.opt{font-weight:400}
[part~=input]{display:block;width:100%;min-height:2.75em;margin:.25em 0 0;padding:.5em .75em;border:1px solid var(--_border);border-radius:var(--_radius);background:var(--_surface);font:inherit;color:inherit}
textarea[part~=input]{resize:vertical}
[aria-invalid=true]{border-color:var(--_danger);box-shadow:0 0 0 1px var(--_danger)}
.check{display:grid;grid-template-columns:auto 1fr;column-gap:.625em}
.check label{font-weight:400;padding-block:.625em}
.check>p{grid-column:2}
[part~=checkbox]{width:max(1.5em,24px);height:max(1.5em,24px);margin:.625em 0 0;accent-color:var(--_primary)}
.actions,[part~=share] ul{display:flex;flex-wrap:wrap;align-items:center;gap:.5em 1.25em;padding:0;list-style:none}
.actions button{align-self:center}
[part~=share] ul{gap:.5em}
[part~=share-link]{display:inline-flex;align-items:center;min-height:2.75em;padding:.5em 1em;border:2px solid var(--_primary);border-radius:var(--_radius);background:var(--_surface);color:var(--_primary);font-weight:600;text-decoration:none;cursor:pointer}
[part~=link]{min-height:24px;padding:0;border:0;background:none;color:var(--_primary);font-weight:400;text-decoration:underline}
`;
