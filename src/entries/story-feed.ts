/**
 * `dist/story-feed.js`: registers `<compa-story-feed>` only. A side-effect module for `<script type="module">`;
 * the class is `customElements.get('compa-story-feed')` (bundlers import it from `src/` instead).
 */
import '../widgets/story-feed/compa-story-feed.ts';
