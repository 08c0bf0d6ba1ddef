/**
 * `msg` and `str` without the rest of @lit/localize (its barrel module keeps unused runtime code alive).
 * Widgets import them from here; the build also aliases `@lit/localize` to this module, for the generated
 * locale modules. The extractor recognises `msg`/`str` by their types, so these re-exports are extracted.
 */
export { msg } from '@lit/localize/init/install.js';
export { str } from '@lit/localize/internal/str-tag.js';
