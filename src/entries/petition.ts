/**
 * `dist/petition.js`: registers `<compa-petition>` only. A side-effect module for `<script type="module">`;
 * the class is `customElements.get('compa-petition')` (bundlers import it from `src/` instead).
 */
import '../widgets/petition/compa-petition.ts';
