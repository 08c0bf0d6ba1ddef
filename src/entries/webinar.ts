/**
 * `dist/webinar.js`: registers `<compa-webinar>` only. A side-effect module for `<script type="module">`;
 * the class is `customElements.get('compa-webinar')` (bundlers import it from `src/` instead).
 */
import '../widgets/webinar/compa-webinar.ts';
