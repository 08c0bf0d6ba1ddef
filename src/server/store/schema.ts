import type { Generated } from 'kysely';

/** Table types for Kysely. Times are ISO-8601 UTC strings; booleans are 0/1 integers (portable to PostgreSQL). */
export interface Database {
  meta: { key: string; value: string };
  newsletter_lists: {
    id: Generated<number>;
    slug: string;
    /** JSON object: locale → { name, description }. */
    texts: string;
    is_public: number;
    created_at: string;
    /** When the list was closed to new subscriptions (admin API or command); null while open. */
    closed_at: string | null;
  };
  subscribers: {
    id: Generated<number>;
    /**
     * Keyed hash of the normalised address (`h1.…`, src/server/crypto/vault.ts): one subscriber per address.
     * `erased.<id>` once erased.
     */
    email_hash: string;
    /** Personal fields hold ciphertext (`c1.…`), sealed values (`s1.…`, sealed mode), or null/'' once erased. */
    email_enc: string | null;
    first_name: string | null;
    locale: string;
    created_at: string;
    updated_at: string;
    /** Confirmation mails sent in the current 24-hour window, to stop mail bombing through the API. */
    confirm_mails_sent: number;
    confirm_window_start: string | null;
  };
  subscriptions: {
    subscriber_id: number;
    list_id: number;
    status: 'pending' | 'confirmed' | 'unsubscribed';
    consent_text: string;
    consent_locale: string;
    consent_at: string;
    confirmed_at: string | null;
    unsubscribed_at: string | null;
    created_at: string;
  };
  jobs: {
    id: Generated<number>;
    kind: string;
    /** JSON; never personal data, only ids. */
    payload: string;
    run_at: string;
    attempts: number;
    status: 'pending' | 'done' | 'failed';
    last_error: string | null;
    created_at: string;
    done_at: string | null;
  };
  idempotency_keys: {
    key: string;
    scope: string;
    request_hash: string;
    status_code: number;
    body: string;
    created_at: string;
  };
  petitions: {
    id: Generated<number>;
    slug: string;
    status: 'draft' | 'open' | 'closed';
    /** JSON object: locale → { title, summary, body (sanitised HTML), target, outcome }. */
    texts: string;
    goal: number;
    deadline: string | null;
    verification: 'none' | 'email';
    last_name: 'required' | 'optional' | 'hidden';
    count_threshold: number | null;
    newsletter_list_id: number | null;
    share_url: string | null;
    /** Counted signatures, kept in the same transaction as every change to them. */
    signature_count: number;
    created_at: string;
    updated_at: string;
    /** When the petition was closed (admin API or command); null while open or draft. */
    closed_at: string | null;
  };
  signatures: {
    id: Generated<number>;
    petition_id: number;
    /** Keyed hash of the normalised address: one signature per address per petition (`erased.<id>` once erased). */
    email_hash: string;
    /** Encrypted or sealed, like every personal field below (first_name, last_name, comment); '' once erased. */
    email_enc: string | null;
    first_name: string;
    last_name: string | null;
    country: string | null;
    comment: string | null;
    locale: string;
    /** `counted`, or `pending` until the emailed confirm link is used (verification `email`). */
    status: 'counted' | 'pending';
    /** How it was signed: `form` (typed or remembered on the device) or `link` (one-click action link). */
    source: 'form' | 'link';
    keep_informed: number;
    consent_text: string | null;
    consent_locale: string | null;
    created_at: string;
    confirmed_at: string | null;
    /** Receipt/confirm mails due for this signature (repeat signing resends, within a small allowance). */
    mails_sent: number;
    /** Of which actually sent (the batched receipt job skips the ones already out when it is retried). */
    receipts_sent: number;
  };
  webinars: {
    id: Generated<number>;
    slug: string;
    /** Slug of the series the webinar belongs to (listed together), or null. */
    series: string | null;
    status: 'draft' | 'published';
    /** JSON object: locale → { title, description, speakers, questions (labels) }. */
    texts: string;
    held_in: string;
    /** JSON array of language tags. */
    interpretation: string;
    starts_at: string;
    ends_at: string;
    time_zone: string;
    capacity: number;
    mode: 'open' | 'approval';
    /** JSON array of question definitions (ids, kinds, required, options' ids). */
    questions: string;
    /** Secret: only in registrants' own mail. */
    join_url: string;
    recording_url: string | null;
    /** Bumped when the time or the join link changes (calendar files replace the entry). */
    sequence: number;
    created_at: string;
    updated_at: string;
    /** When registration was closed (admin API or command); null while open. */
    closed_at: string | null;
  };
  registrations: {
    id: Generated<number>;
    webinar_id: number;
    /** Keyed hash of the normalised address: one registration per address per webinar (`erased.<id>` once erased). */
    email_hash: string;
    /** Encrypted or sealed, like `name` and `answers` (encrypted JSON); '' once erased. */
    email_enc: string | null;
    name: string;
    locale: string;
    /** `registered` (has a place), `waitlisted`, `pending` (approval), `declined`, `cancelled`. */
    status: 'registered' | 'waitlisted' | 'pending' | 'declined' | 'cancelled';
    /** Encrypted JSON object: question id → answer. */
    answers: string;
    consent_text: string;
    consent_locale: string;
    /** When the registration entered its current queue (the waitlist is served in this order). */
    queued_at: string;
    /** Reminders already sent: comma-separated `24h`, `1h` (a restart never repeats one). */
    reminders_sent: string;
    /** Bumped when a cancelled registration registers again (its calendar entry gets a new UID). */
    revision: number;
    /** Status mails queued (each job carries its number) and the highest number sent: a retried job never resends. */
    mails_due: number;
    mails_sent: number;
    /** Mails sent for repeated registrations in the current 24-hour window (no mail bombing through the API). */
    mails_count: number;
    mails_window_start: string | null;
    created_at: string;
    updated_at: string;
  };
  stories: {
    id: Generated<number>;
    /** Public id (`GET /api/v1/stories/:id`). */
    slug: string;
    /** `cli` (imported with the command), `api`, or `feed:<feed URL>`. */
    source: string;
    /** The feed item's GUID/ID (unique per source); null for stories created here. */
    guid: string | null;
    /** JSON object: locale → { title, excerpt, body (sanitised HTML), link, words }. Emptied once erased. */
    texts: string;
    partner_slug: string | null;
    partner_name: string | null;
    /** ISO 3166-1 alpha-2, upper case. */
    country: string | null;
    region_slug: string | null;
    region_name: string | null;
    published_at: string;
    /** The cover image (story_media.id). */
    image_id: string | null;
    /** JSON object: locale → alt text of the cover image. */
    image_alt: string;
    /** Consent window: shown from `publish_from` (if set) until `withdraw_after` (if set), never outside it. */
    publish_from: string | null;
    withdraw_after: string | null;
    /** 1 when the story left its feed and the feed's setting is to hide such stories. */
    hidden: number;
    /** 1 once a withdrawn story's texts and images are deleted (the row stays so that its feed can't bring it back). */
    erased: number;
    /** Hash of what the feed said last: an unchanged item is not rewritten. */
    content_hash: string;
    created_at: string;
    updated_at: string;
  };
  story_tags: {
    story_id: number;
    slug: string;
    /** JSON object: locale → label. */
    labels: string;
  };
  story_media: {
    /** Content hash (hex): the same image stored once. */
    id: string;
    content_type: string;
    width: number;
    height: number;
    bytes: Uint8Array;
    created_at: string;
  };
  /** Which story uses which image (cover or body): an image is served only while a visible story uses it. */
  story_images: {
    story_id: number;
    media_id: string;
  };
  story_feeds: {
    url: string;
    etag: string | null;
    last_modified: string | null;
    checked_at: string | null;
    ok_at: string | null;
    last_error: string | null;
    items: number;
  };
  /** Admin API tokens (`compa token create`): only the SHA-256 of each token is kept. */
  admin_tokens: {
    id: Generated<number>;
    name: string;
    scope: 'read' | 'write';
    token_hash: string;
    created_at: string;
    last_used_at: string | null;
    revoked_at: string | null;
  };
  /** What was done through the admin API or the token command: who, what, when. Never personal data. */
  admin_audit: {
    id: Generated<number>;
    at: string;
    token_id: number | null;
    token_name: string;
    method: string;
    /** The route pattern (`/api/v1/admin/petitions/:slug`) or the command (`token create`). */
    route: string;
    /** JSON object of the route's id/slug parameters. */
    target: string;
    status: number;
  };
  /** Story feeds added through the admin API (besides COMPA_STORY_FEEDS). */
  story_feed_sources: {
    id: string;
    url: string;
    /** JSON: the rest of StoryFeedConfig (lang, partner, country, region, tags, gone, imageOrigins). */
    settings: string;
    created_at: string;
    updated_at: string;
  };
}
