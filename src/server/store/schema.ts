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
}
