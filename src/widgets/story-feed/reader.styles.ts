import { css } from 'lit';

/** Styles of a story opened in place (adopted with the reader's chunk). Logical properties only. */
export const readerStyles = css`
[part~=reader],[part~=reader] article{display:flex;flex-direction:column;gap:calc(var(--_space)*.75)}
[part~=reader]{max-inline-size:var(--compa-story-feed-reader-width,40em)}
[part~=reader] [part~=title]{font-size:1.5em;line-height:1.25}
[part~=reader] [part~=image]{order:0}
[part~=back]{align-self:start;min-block-size:24px;padding:0;border:0;background:none;color:var(--_primary);font-weight:400;text-decoration:underline}
[part~=back]::before{content:"←"/"";display:inline-block;margin-inline-end:.25em}
:dir(rtl) [part~=back]::before{transform:scaleX(-1)}
[part~=body]{line-height:1.6}
[part~=body] :is(p,ul,ol,blockquote,figure,pre,table,hr){margin:0 0 1em}
[part~=body] :is(h1,h2,h3,h4,h5,h6){font-size:1.125em;line-height:1.3;margin-block-start:1.5em}
[part~=body] blockquote{padding-inline-start:1em;border-inline-start:.25em solid var(--_faint)}
[part~=body] img{max-inline-size:100%;block-size:auto}
[part~=embed]{display:flex;flex-direction:column;align-items:start;gap:.5em;padding:var(--_space);border:1px solid var(--_border);border-radius:var(--_radius);background:color-mix(in srgb,currentColor 5%,transparent)}
[part~=embed] iframe{inline-size:100%;aspect-ratio:16/9;border:0}
[part~=embed] p{margin:0}
[part~=link]{align-self:start;display:inline-flex;align-items:center;min-block-size:24px}
`;
