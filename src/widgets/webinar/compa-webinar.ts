/** Registers `<compa-webinar>` (side-effect module; safe to load twice). */
import '../../generated/locale-loaders/webinar.ts'; // its translations, loaded lazily by language
import { CompaWebinar } from './webinar.ts';

export { CompaWebinar };
export type { WebinarList, WebinarState } from './webinar.ts';
export type { RegistrationErrors } from './register.ts';
export type {
  CompaErrorDetail,
  CompaQueuedDetail,
  CompaReadyDetail,
  CompaRegisterDetail,
} from '../../core/events.ts';

CompaWebinar.define('compa-webinar');

declare global {
  interface HTMLElementTagNameMap {
    'compa-webinar': CompaWebinar;
  }
}
