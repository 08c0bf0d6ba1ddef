/**
 * The petition body, made safe a second time in the browser (the server sanitises it first): the HTML is parsed
 * into an inert `<template>` (nothing in it runs or loads), then only an allowlist of elements is copied, as new
 * elements without any attribute, into a detached `<div>`. Links keep an `href` only when it is http(s) or mailto,
 * and open in a new tab without opener or referrer. Other elements are dropped with their content when they hold
 * code or form controls, else replaced by their content (text is never lost). Comments are dropped.
 */

const ALLOWED = /^(p|br|strong|em|b|i|ul|ol|li|a|blockquote|h3|h4)$/;
/** Elements whose content is not text to read. */
const DROPPED = /^(script|style|template|noscript|iframe|object|embed|svg|math|select|textarea|title|button|form)$/;

/** A detached element holding the allowed part of `source`; insert the element itself (Lit renders nodes). */
export function sanitize(source: string): HTMLDivElement {
  const template = document.createElement('template');
  template.innerHTML = source;
  const out = document.createElement('div');
  copy(template.content, out);
  return out;
}

function copy(from: Node, to: Node): void {
  for (const node of from.childNodes) {
    if (node.nodeType === 3) {
      to.appendChild(document.createTextNode(node.nodeValue!));
    } else if (node instanceof Element) {
      const tag = node.localName;
      if (DROPPED.test(tag)) continue;
      if (!ALLOWED.test(tag)) {
        copy(node, to);
        continue;
      }
      const el = document.createElement(tag);
      if (tag === 'a') {
        let url: URL | undefined;
        try {
          url = new URL(node.getAttribute('href')!);
        } catch {
          /* relative, empty or broken: no link */
        }
        if (url && /^(https?|mailto):$/.test(url.protocol)) {
          el.setAttribute('href', url.href);
          el.setAttribute('target', '_blank');
          el.setAttribute('rel', 'noopener noreferrer');
        }
      }
      copy(node, el);
      to.appendChild(el);
    }
  }
}
