/** Registers `<compa-story-feed>` (side-effect module; safe to load twice). */
import '../../generated/locale-loaders/story-feed.ts'; // its translations, loaded lazily by language
import { CompaStoryFeed } from './story-feed.ts';

export { CompaStoryFeed };
export type { Story, StoryFeedLayout, StoryFeedState, StoryList } from './story-feed.ts';
export type { CompaErrorDetail, CompaReadyDetail, CompaStoryOpenDetail } from '../../core/events.ts';

CompaStoryFeed.define('compa-story-feed');

declare global {
  interface HTMLElementTagNameMap {
    'compa-story-feed': CompaStoryFeed;
  }
}
