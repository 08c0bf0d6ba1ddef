/**
 * The one storage interface of the server. Routes and services talk to a `Store`, never to SQL;
 * adapters (SQLite now, PostgreSQL for scale-out) implement it on the same Kysely queries.
 */
export interface LocalizedTexts {
  [locale: string]: { name: string; description: string };
}

export interface ListRecord {
  id: number;
  slug: string;
  texts: LocalizedTexts;
  isPublic: boolean;
}

export interface SubscriberRecord {
  id: number;
  email: string;
  firstName: string | null;
  locale: string;
}

export interface SubscribeInput {
  email: string;
  firstName: string | null;
  locale: string;
  listIds: number[];
  consentText: string;
  /** The language the consent text was shown in, as the client sent it (may be one the server lacks). */
  consentLocale: string;
  now: Date;
}

export interface SubscribeResult {
  subscriberId: number;
  /** Lists now awaiting confirmation for this address (new, previously unsubscribed, or still pending). */
  pendingListIds: number[];
}

export interface JobRecord {
  id: number;
  kind: string;
  payload: unknown;
  attempts: number;
}

export interface IdempotentResponse {
  requestHash: string;
  statusCode: number;
  body: unknown;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction; everything it writes commits together (durably) or not at all. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  migrate(): Promise<string[]>;
  close(): Promise<void>;

  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;

  createList(input: { slug: string; texts: LocalizedTexts; isPublic: boolean; now: Date }): Promise<number>;
  listLists(opts: { publicOnly: boolean }): Promise<ListRecord[]>;

  subscribe(input: SubscribeInput): Promise<SubscribeResult>;
  getSubscriber(id: number): Promise<SubscriberRecord | null>;
  /** Counts a confirmation mail against the address's daily allowance; false when the allowance is spent. */
  takeConfirmMailAllowance(subscriberId: number, now: Date, maxPerDay: number): Promise<boolean>;
  /** Confirms the subscriber's pending subscriptions to these lists; returns every confirmed slug (idempotent). */
  confirm(subscriberId: number, listIds: number[], now: Date): Promise<string[]>;
  /** Deletes subscribers who never confirmed anything and whose last request is older than `before`. */
  purgeUnconfirmed(before: Date): Promise<number>;
  /** Deletes finished jobs older than `before`. */
  purgeJobs(before: Date): Promise<number>;
  /** Ends every subscription of the subscriber (idempotent); returns how many were active. */
  unsubscribe(subscriberId: number, now: Date): Promise<number>;
  subscriptionStatuses(subscriberId: number): Promise<{ slug: string; status: string }[]>;

  enqueueJob(kind: string, payload: unknown, runAt: Date, now: Date): Promise<number>;
  dueJobs(now: Date, limit: number): Promise<JobRecord[]>;
  completeJob(id: number, now: Date): Promise<void>;
  retryJob(id: number, error: string, runAt: Date | null, now: Date): Promise<void>;

  getIdempotent(scope: string, key: string): Promise<IdempotentResponse | null>;
  saveIdempotent(scope: string, key: string, response: IdempotentResponse, now: Date): Promise<void>;
  purgeIdempotent(before: Date): Promise<number>;
}
