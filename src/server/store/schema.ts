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
  };
  subscribers: {
    id: Generated<number>;
    /** Normalised (trimmed, lower-cased) address: one subscriber per address. */
    email: string;
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
  };
  signatures: {
    id: Generated<number>;
    petition_id: number;
    /** Normalised (trimmed, lower-cased): one signature per address per petition. */
    email: string;
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
}
