import { css } from 'lit';

/**
 * Styles of `<compa-petition>` that the petition itself needs (the form's come with its chunk: `sign.styles.ts`).
 * Tokens (`--_primary`…) come from `hostStyles`. Logical properties only.
 */
export const petitionStyles = css`
[part~=base],.panel,form{display:flex;flex-direction:column;gap:calc(var(--_space)*.875)}
[part~=base]{max-width:var(--compa-petition-max-width,36em);padding:var(--compa-petition-padding,calc(var(--_space)*1.25));background:var(--_surface);border:var(--compa-petition-border,1px solid #d0d7de);border-radius:var(--_radius)}
[part~=heading]{font-size:var(--compa-petition-heading-size,1.375em);font-weight:700;line-height:1.25}
p,ul,ol,blockquote,h3,h4{margin:0}
[part~=note],[part~=goal],[part~=deadline],.opt,.hint{color:var(--compa-color-muted,#5c6670)}
[part~=note]{font-size:.875em}
[part~=body]>div{display:flex;flex-direction:column;gap:.75em;margin-block-start:.75em}
[part~=body] :is(ul,ol){padding-inline-start:1.5em}
[part~=body] blockquote{padding-inline-start:1em;border-inline-start:.25em solid #d0d7de}
summary{min-height:24px;color:var(--_primary);text-decoration:underline;cursor:pointer}
[part~=counter]{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.25em 1em}
[part~=count]{font-size:1.5em}
[part~=progress]{flex-basis:100%;height:.75em;border-radius:1em;background:var(--compa-petition-track-color,#e6e9ed);overflow:hidden}
[part~=bar]{height:100%;background:var(--compa-petition-progress-color,var(--_primary));transition:inline-size .6s ease-out}
@media (forced-colors:active){[part~=progress]{border:1px solid}[part~=bar]{forced-color-adjust:none;background:Highlight}}
[part~=error]{color:var(--_danger);font-weight:600}
.alert{padding:.75em 1em;border-inline-start:.25em solid;background:var(--compa-color-danger-surface,#fdecea)}
button{align-self:start;min-height:2.75em;padding:.5em 1.25em;border:2px solid var(--_primary);border-radius:var(--_radius);background:var(--_primary);color:var(--compa-color-on-primary,#fff);font-weight:600;cursor:pointer}
button:hover{filter:brightness(.9)}
`;
