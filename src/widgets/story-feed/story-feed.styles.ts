import { css } from 'lit';

/**
 * Styles of `<compa-story-feed>`: the three layouts, chips, "Load more", the states (the reader's come with its
 * chunk: `reader.styles.ts`). Tokens (`--_primary`…) come from `hostStyles`. Logical properties only.
 */
export const storyFeedStyles = css`
:host{--_gap:var(--compa-story-feed-gap,calc(var(--_space)*1.25));--_faint:color-mix(in srgb,currentColor 12%,transparent)}
[part~=base],.feed{display:flex;flex-direction:column;gap:var(--_gap)}
p{margin:0}
[part~=list]{display:grid;gap:var(--_gap);margin:0;padding:0;list-style:none}
.grid [part~=list]{grid-template-columns:repeat(auto-fill,minmax(min(var(--compa-story-feed-card-min-width,16em),100%),1fr))}
.compact [part~=list]{gap:0}
.compact [part~=card]{padding-block:.75em;border-block-end:1px solid var(--_faint)}
[part~=card]{position:relative;display:flex;flex-direction:column;gap:.5em}
.list .i{display:grid;grid:min-content min-content 1fr/minmax(0,min(35%,12em)) 1fr;column-gap:var(--_space)}
.list .i>*{grid-column:2}
[part~=image]{order:-1;width:100%;height:auto;aspect-ratio:var(--compa-story-feed-image-ratio,3/2);object-fit:cover;border-radius:var(--_radius);background:var(--_faint)}
.list [part~=image]{grid-area:1/1/span 3}
[part~=title]{font-size:var(--compa-story-feed-title-size,1.125em);font-weight:700;line-height:1.3}
[part~=title] a{display:inline-block;min-height:24px;color:inherit}
[part~=title] a:not(:hover){text-decoration:none}
[part~=card] a::after{content:"";position:absolute;inset:0}
[part~=meta],[part~=error]{font-size:.875em}
[part~=meta]{color:var(--compa-color-muted,#5c6670)}
[part~=meta]>:not(:last-child)::after{content:"·"/"";margin-inline-start:.375em}
[part~=language]{font-weight:600}
.sk{height:14em;border-radius:var(--_radius);background:var(--_faint);animation:p 1.5s infinite}
.compact .sk{height:3em}
@keyframes p{50%{opacity:.5}}
[part~=filters],.more{display:flex;flex-wrap:wrap;align-items:center;gap:.5em}
button{min-height:2.75em;padding:.5em 1.25em;border:2px solid var(--_primary);border-radius:var(--_radius);background:var(--_primary);color:var(--_on);font-weight:600;cursor:pointer}
button,[aria-pressed=true]{--_on:var(--compa-color-on-primary,#fff)}
[part~=chip]{min-height:2.25em;padding:0 .875em;border:1px solid var(--_border);border-radius:2em;background:none;color:inherit;font-weight:400}
[aria-pressed=true]{border-color:var(--_primary);background:var(--_primary);color:var(--_on);font-weight:600}
[aria-pressed=true]::before{content:"✓ "/""}
[part~=more]{background:none;color:var(--_primary)}
[aria-disabled=true]{opacity:.7}
.feed>button{align-self:start}
[part~=error],.alert{color:var(--_danger);font-weight:600}
.alert{padding:.75em 1em;border-inline-start:.25em solid;background:var(--compa-color-danger-surface,#fdecea)}
`;
