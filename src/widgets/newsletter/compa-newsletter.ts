/** Registers `<compa-newsletter>` (side-effect module; safe to load twice). */
import '../../generated/locale-loaders/newsletter.ts'; // its translations, loaded lazily by language
import { CompaNewsletter } from './newsletter.ts';

export { CompaNewsletter };
export type { NewsletterErrors, NewsletterState } from './newsletter.ts';
export type {
  CompaErrorDetail,
  CompaQueuedDetail,
  CompaReadyDetail,
  CompaSubscribeDetail,
} from '../../core/events.ts';

CompaNewsletter.define('compa-newsletter');

declare global {
  interface HTMLElementTagNameMap {
    'compa-newsletter': CompaNewsletter;
  }
}
