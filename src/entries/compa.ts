/**
 * `dist/compa.js`: registers every Compa element. A side-effect module for `<script type="module">`;
 * classes are `customElements.get('compa-…')` (bundlers import them from `src/` instead).
 */
import '../widgets/newsletter/compa-newsletter.ts';
import '../widgets/petition/compa-petition.ts';
import '../widgets/webinar/compa-webinar.ts';
import '../widgets/story-feed/compa-story-feed.ts';
