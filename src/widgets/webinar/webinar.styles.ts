import { css } from 'lit';

/**
 * Styles of `<compa-webinar>` that the webinar and the list need (the form's come with its chunk:
 * `register.styles.ts`). Tokens (`--_primary`…) come from `hostStyles`. Logical properties only.
 */
export const webinarStyles = css`
[part~=base],[part~=list],[part~=item],.panel,form{display:flex;flex-direction:column;gap:calc(var(--_space)*.875)}
[part~=base]{max-width:var(--compa-webinar-max-width,36em);padding:var(--compa-webinar-padding,calc(var(--_space)*1.25));background:var(--_surface);border:var(--compa-webinar-border,1px solid #d0d7de);border-radius:var(--_radius)}
[part~=heading]{font-size:var(--compa-webinar-heading-size,1.375em);font-weight:700;line-height:1.25}
p,ul{margin:0}
ul{padding:0;list-style:none}
[part~=note],[part~=event-time],[part~=language],[part~=item-status],[part~=speaker] span span{color:var(--compa-color-muted,#5c6670)}
[part~=note]{font-size:.875em}
[part~=time],[part~=places]{font-weight:600}
[part~=event-time]{display:block;font-weight:400}
[part~=description]{white-space:pre-line}
[part~=speakers]{display:flex;flex-wrap:wrap;gap:.75em 1.5em}
[part~=speaker]{display:flex;align-items:center;gap:.75em}
[part~=photo]{inline-size:var(--compa-webinar-photo-size,3em);block-size:var(--compa-webinar-photo-size,3em);border-radius:50%;object-fit:cover}
[part~=item]{gap:.375em;padding-block-start:calc(var(--_space)*.875);border-block-start:1px solid #d0d7de}
[part~=item-title]{font-size:1.125em;font-weight:700;line-height:1.25}
[part~=error]{color:var(--_danger);font-weight:600}
.alert{padding:.75em 1em;border-inline-start:.25em solid;background:var(--compa-color-danger-surface,#fdecea)}
button,[part~=recording]{align-self:start;display:inline-flex;align-items:center;min-height:2.75em;padding:.5em 1.25em;border:2px solid var(--_primary);border-radius:var(--_radius);background:var(--_primary);color:var(--compa-color-on-primary,#fff);font-weight:600;text-decoration:none;cursor:pointer}
button:hover,[part~=recording]:hover{filter:brightness(.9)}
[part~=link]{min-height:24px;padding:0;border:0;background:none;color:var(--_primary);font-weight:400;text-decoration:underline}
`;
