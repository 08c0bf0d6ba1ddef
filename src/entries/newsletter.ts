/**
 * `dist/newsletter.js`: registers `<compa-newsletter>` only. A side-effect module for `<script type="module">`;
 * the class is `customElements.get('compa-newsletter')` (bundlers import it from `src/` instead).
 */
import '../widgets/newsletter/compa-newsletter.ts';
