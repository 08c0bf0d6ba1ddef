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
  /** '' when sealed (sealed mode: no mail pending) or erased. */
  email: string;
  firstName: string | null;
  locale: string;
  /** The keyed hash of the address. */
  emailHash: string;
  /** Sealed mode: the sealed values (the server can't read them; a one-click signature copies them). */
  sealed: { email: string; firstName: string | null } | null;
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

/** A petition's texts in one language. `body` is sanitised HTML. */
export interface PetitionText {
  title: string;
  summary: string;
  body: string;
  target: string;
  outcome: string | null;
}

export interface PetitionRecord {
  id: number;
  slug: string;
  status: 'draft' | 'open' | 'closed';
  texts: Record<string, PetitionText>;
  goal: number;
  deadline: Date | null;
  verification: 'none' | 'email';
  lastName: 'required' | 'optional' | 'hidden';
  countThreshold: number | null;
  newsletterListId: number | null;
  shareUrl: string | null;
  count: number;
}

export type CreatePetitionInput = Omit<PetitionRecord, 'id' | 'count'> & { now: Date };

export interface SignatureRecord {
  id: number;
  petitionId: number;
  /** '' when sealed or erased (no mail can be sent). */
  email: string;
  /** Sealed mode: sealed once no mail was pending. */
  sealed: boolean;
  firstName: string;
  lastName: string | null;
  country: string | null;
  locale: string;
  status: 'counted' | 'pending';
  source: 'form' | 'link';
  keepInformed: boolean;
  consentText: string | null;
  consentLocale: string | null;
  /** Receipt/confirm mails due, and of which sent. */
  mailsDue: number;
  mailsSent: number;
}

/** One signature request in a group-commit batch. */
export interface SignInput {
  petitionId: number;
  email: string;
  firstName: string;
  lastName: string | null;
  country: string | null;
  comment: string | null;
  locale: string;
  verification: 'none' | 'email';
  source: 'form' | 'link';
  keepInformed: boolean;
  consentText: string | null;
  consentLocale: string | null;
  /** When the request carried an Idempotency-Key: its answer is stored in the same transaction. */
  idempotency: { scope: string; key: string; requestHash: string } | null;
  /** One click by a subscriber whose contact data is sealed: stored with their sealed values (no receipt can go). */
  sealed?: { emailHash: string; email: string; firstName: string | null };
}

export type SignOutcome =
  /** Stored (or already there): the answer to send. `newSignature` is false for a repeat. */
  | {
      kind: 'signed';
      status: 'counted' | 'pending_verification';
      /** The public count before this request (the answer's count: it reveals nothing about this address). */
      count: number;
      /** The count after this item, as committed (for the live counter). */
      committedCount: number;
      signatureId: number;
      newSignature: boolean;
      jobs: number;
    }
  /** A retry of an idempotent request: the stored answer. */
  | { kind: 'replay'; statusCode: number; body: unknown }
  /** The Idempotency-Key was used before for a different body. */
  | { kind: 'conflict' }
  /** This item failed (the rest of the batch is unaffected). */
  | { kind: 'error'; error: Error };

/** A webinar's texts in one language. Question labels are keyed by question id (options by option id). */
export interface WebinarText {
  title: string;
  description: string;
  speakers: { name: string; organisation: string | null; photoUrl: string | null }[];
  questions: Record<string, { label: string; options?: Record<string, string> }>;
}

/** A custom question (its labels are in each language's `questions`). */
export interface WebinarQuestionDef {
  id: string;
  kind: 'text' | 'choice' | 'checkbox';
  required: boolean;
  maxLength?: number;
  /** For `choice`: the option ids, in order. */
  options?: string[];
}

export interface WebinarRecord {
  id: number;
  slug: string;
  series: string | null;
  status: 'draft' | 'published';
  texts: Record<string, WebinarText>;
  heldIn: string;
  interpretation: string[];
  start: Date;
  end: Date;
  timeZone: string;
  capacity: number;
  mode: 'open' | 'approval';
  questions: WebinarQuestionDef[];
  /** Secret: only in registrants' own mail. */
  joinUrl: string;
  recordingUrl: string | null;
  sequence: number;
}

export type CreateWebinarInput = Omit<WebinarRecord, 'id' | 'sequence'> & { now: Date };

export type RegistrationStatus = 'registered' | 'waitlisted' | 'pending' | 'declined' | 'cancelled';

export interface RegistrationRecord {
  id: number;
  webinarId: number;
  /** '' when sealed or erased. */
  email: string;
  name: string;
  /** Sealed mode: sealed once the webinar is over and its mails sent. */
  sealed: boolean;
  locale: string;
  status: RegistrationStatus;
  answers: Record<string, string | boolean>;
  consentText: string;
  consentLocale: string;
  createdAt: Date;
  /** Reminders already sent (`24h`, `1h`). */
  remindersSent: string[];
  /** How many times this address registered again after cancelling (part of its calendar entry's UID). */
  revision: number;
  /** The number of the last status mail sent (jobs carry theirs: a retried job never sends twice). */
  mailsSent: number;
}

export interface RegisterInput {
  webinarId: number;
  email: string;
  name: string;
  locale: string;
  answers: Record<string, string | boolean>;
  consentText: string;
  consentLocale: string;
  now: Date;
  /** Mails a repeated registration may trigger per address and webinar per day. */
  maxRepeatMailsPerDay: number;
}

export interface RegisterResult {
  registrationId: number;
  status: RegistrationStatus;
  /** `new` (or re-registered after cancelling), `repeat` (already there: nothing changed). */
  kind: 'new' | 'repeat';
  /** For a repeat: whether its allowance lets it send the status mail again. */
  mailAgain: boolean;
}

/** A story's texts in one language. `body` is sanitised HTML ('' when only an excerpt is known). */
export interface StoryText {
  title: string;
  /** Plain text. */
  excerpt: string;
  body: string;
  /** The full story on the organisation's site; null when Compa's own page shows it. */
  link: string | null;
  /** Words in the body (reading time). */
  words: number;
}

export interface StoryTagRecord {
  slug: string;
  /** Locale → label. */
  labels: Record<string, string>;
}

export interface StoryRecord {
  id: number;
  slug: string;
  source: string;
  guid: string | null;
  texts: Record<string, StoryText>;
  partner: { slug: string; name: string } | null;
  country: string | null;
  region: { slug: string; name: string } | null;
  tags: StoryTagRecord[];
  publishedAt: Date;
  image: { id: string; contentType: string; width: number; height: number; alt: Record<string, string> } | null;
  publishFrom: Date | null;
  withdrawAfter: Date | null;
  hidden: boolean;
  erased: boolean;
  contentHash: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface PutStoryInput {
  /** Used when the story is new (kept afterwards, so links stay valid). */
  slug: string;
  source: string;
  /** The key within the source (a feed item's GUID; the slug for stories imported with the command). */
  guid: string;
  texts: Record<string, StoryText>;
  partner: { slug: string; name: string } | null;
  country: string | null;
  region: { slug: string; name: string } | null;
  tags: StoryTagRecord[];
  publishedAt: Date;
  imageId: string | null;
  imageAlt: Record<string, string>;
  publishFrom: Date | null;
  withdrawAfter: Date | null;
  /** Every stored image the story uses (cover and body). */
  mediaIds: string[];
  contentHash: string;
  /** A feed may not bring back a withdrawn story; the organisation's own command may. */
  restoreWithdrawn: boolean;
  now: Date;
}

export type PutStoryOutcome = 'created' | 'updated' | 'unchanged' | 'withdrawn';

export interface StoryListFilter {
  now: Date;
  region?: string;
  partner?: string;
  tag?: string;
}

export interface StoryMedia {
  id: string;
  contentType: string;
  width: number;
  height: number;
  bytes: Uint8Array;
}

export interface StoryFeedState {
  url: string;
  etag: string | null;
  lastModified: string | null;
  checkedAt: Date | null;
  okAt: Date | null;
  lastError: string | null;
  items: number;
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
  getSubscriberByEmail(email: string): Promise<SubscriberRecord | null>;
  /** Subscribers with a confirmed subscription to the list (for one-click action links). */
  confirmedSubscribers(listId: number): Promise<SubscriberRecord[]>;
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
  /** Marks several jobs done in one write. */
  completeJobs(ids: number[], now: Date): Promise<void>;
  retryJob(id: number, error: string, runAt: Date | null, now: Date): Promise<void>;

  getIdempotent(scope: string, key: string): Promise<IdempotentResponse | null>;
  saveIdempotent(scope: string, key: string, response: IdempotentResponse, now: Date): Promise<void>;
  purgeIdempotent(before: Date): Promise<number>;

  createPetition(input: CreatePetitionInput): Promise<number>;
  /** Changes a petition's settings or texts (the count is not touched). */
  updatePetition(id: number, changes: Partial<Omit<CreatePetitionInput, 'now'>> & { now: Date }): Promise<void>;
  getPetition(slug: string): Promise<PetitionRecord | null>;
  getPetitionById(id: number): Promise<PetitionRecord | null>;
  listPetitions(): Promise<PetitionRecord[]>;
  /** Counted signatures of each petition, by id. */
  petitionCounts(): Promise<Map<number, number>>;
  /**
   * Stores a batch of signatures in ONE durable transaction (group commit): each item's row, its jobs,
   * its idempotent answer and the petitions' counters commit together; a failing item is rolled back alone.
   */
  signBatch(items: SignInput[], now: Date): Promise<SignOutcome[]>;
  getSignature(id: number): Promise<SignatureRecord | null>;
  /** Records that one more of the signature's due mails went out. */
  markReceiptSent(id: number): Promise<void>;
  /** Counts a pending signature (verification by email); returns whether it changed and the new count. */
  confirmSignature(id: number, now: Date): Promise<{ changed: boolean; count: number } | null>;
  /** Deletes a signature ("It wasn't me"); returns whether it existed and the petition's count after. */
  removeSignature(id: number): Promise<{ removed: boolean; petitionId: number | null; count: number }>;
  /** Deletes pending (never confirmed) signatures created before `before`. */
  purgePendingSignatures(before: Date): Promise<number>;

  createWebinar(input: CreateWebinarInput): Promise<number>;
  /** Changes a webinar; the sequence is bumped when its time or join link changes. */
  updateWebinar(id: number, changes: Partial<Omit<CreateWebinarInput, 'now'>> & { now: Date }): Promise<void>;
  getWebinar(slug: string): Promise<WebinarRecord | null>;
  getWebinarById(id: number): Promise<WebinarRecord | null>;
  /** Every webinar (or a series'), by start time. */
  listWebinars(opts?: { series?: string }): Promise<WebinarRecord[]>;
  /** Places taken (status `registered`) per webinar id. */
  placesTaken(webinarIds: number[]): Promise<Map<number, number>>;
  /**
   * Registers an address atomically: a place while one is left (open mode), else the waitlist; `pending` in
   * approval mode. An address already registered, waitlisted or pending is a repeat (nothing changes); a
   * cancelled one registers anew; a declined one stays declined.
   */
  register(input: RegisterInput): Promise<RegisterResult>;
  getRegistration(id: number): Promise<RegistrationRecord | null>;
  getRegistrationByEmail(webinarId: number, email: string): Promise<RegistrationRecord | null>;
  listRegistrations(webinarId: number): Promise<RegistrationRecord[]>;
  /**
   * Cancels a registration (idempotent). When it held a place, the first on the waitlist gets it, in the same
   * transaction. Returns whether it changed and who was promoted.
   */
  cancelRegistration(id: number, now: Date): Promise<{ changed: boolean; promoted: number[] }>;
  /** Approval mode: approve (a place if one is left, else the waitlist) or decline a pending registration. */
  decideRegistration(id: number, decision: 'approve' | 'decline', now: Date): Promise<RegistrationStatus | null>;
  /** Gives free places to the waitlist, in order (after a capacity rise); returns the promoted ids. */
  promoteWaitlisted(webinarId: number, now: Date): Promise<number[]>;
  markReminderSent(id: number, which: string): Promise<void>;
  /** Numbers the next status mail of a registration (in the transaction that queues it). */
  nextMailNumber(id: number): Promise<number>;
  /** Records that the registration's status mail number `n` went out. */
  markMailSent(id: number, n: number): Promise<void>;
  /** Strips the personal data of registrations of webinars that ended before `before` (the rows and figures stay). */
  purgeRegistrations(before: Date): Promise<number>;

  /** Creates or updates the story of `source` + `guid`. A withdrawn story stays withdrawn unless `restoreWithdrawn`. */
  putStory(input: PutStoryInput): Promise<{ id: number; slug: string; outcome: PutStoryOutcome }>;
  /** Any story (visible or not) by its source and key. */
  findStory(source: string, guid: string): Promise<StoryRecord | null>;
  /** Any story (visible or not) by its public id. */
  getStory(slug: string): Promise<StoryRecord | null>;
  /** Visible stories (inside their consent window, not hidden, not erased), newest first then by id, after the cursor. */
  listStories(filter: StoryListFilter & { limit: number; after?: { publishedAt: Date; id: number } }): Promise<StoryRecord[]>;
  /** Tags of the visible stories matching `filter` (its `tag` ignored), most used first. */
  storyTagFacets(filter: StoryListFilter, limit: number): Promise<(StoryTagRecord & { count: number })[]>;
  /** Every story, for the organisation's command (newest first). */
  listAllStories(): Promise<StoryRecord[]>;
  /** Ends a story's consent window at `at` (now: gone from every answer at once). Returns false for an unknown slug. */
  withdrawStory(slug: string, at: Date, now: Date): Promise<boolean>;
  /** After reading a feed: its stories missing from it are hidden (when `hide`), those present shown again. */
  setFeedPresence(source: string, presentGuids: string[], hide: boolean, now: Date): Promise<number>;
  /** Deletes the texts, tags and images of stories whose consent ended (the row stays as a tombstone). */
  eraseWithdrawnStories(now: Date): Promise<number>;
  putStoryMedia(media: StoryMedia, now: Date): Promise<void>;
  getStoryMedia(id: string): Promise<StoryMedia | null>;
  /** Whether a visible story uses the image (withdrawn stories' images are served no more). */
  storyMediaVisible(id: string, now: Date): Promise<boolean>;
  getStoryFeed(url: string): Promise<StoryFeedState | null>;
  saveStoryFeed(state: StoryFeedState): Promise<void>;
  listStoryFeeds(): Promise<StoryFeedState[]>;
}
