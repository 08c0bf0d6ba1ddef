/** Registers `<compa-petition>` (side-effect module; safe to load twice). */
import '../../generated/locale-loaders/petition.ts'; // its translations, loaded lazily by language
import { CompaPetition } from './petition.ts';

export { CompaPetition };
export { ACTION_PARAM, CAMPAIGN_PARAM, SUPPORTER_KEY } from './petition.ts';
export type { PetitionState } from './petition.ts';
export type { OneClick, PetitionErrors, Supporter } from './sign.ts';
export type {
  CompaErrorDetail,
  CompaQueuedDetail,
  CompaReadyDetail,
  CompaShareDetail,
  CompaSignDetail,
} from '../../core/events.ts';

CompaPetition.define('compa-petition');

declare global {
  interface HTMLElementTagNameMap {
    'compa-petition': CompaPetition;
  }
}
