import type { FastifyBaseLogger } from 'fastify';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
/** pino's loggers (Fastify's types leave `isLevelEnabled` out). */
type Pino = FastifyBaseLogger & { isLevelEnabled(level: string): boolean };
type Bindings = Record<string, unknown>;

/**
 * A request's logger that becomes a real pino child only when something is logged at an enabled level.
 * Fastify makes a child logger per request (to bind the request id), and pino serialises the bindings at once:
 * at `warn`, where requests log nothing, that is pure cost on every answer (the count is read constantly).
 */
class LazyChild {
  readonly #parent: Pino;
  readonly #bindings: Bindings;
  readonly #opts: object;
  #real: Pino | undefined;

  constructor(parent: Pino, bindings: Bindings, opts: object) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#opts = opts;
  }

  #child(): Pino {
    return (this.#real ??= this.#parent.child(this.#bindings, this.#opts) as Pino);
  }

  #log(level: Level, args: unknown[]): void {
    if (this.#real || this.#parent.isLevelEnabled(level)) (this.#child()[level] as (...a: unknown[]) => void)(...args);
  }

  get level(): string {
    return (this.#real ?? this.#parent).level;
  }
  set level(level: string) {
    this.#child().level = level;
  }
  isLevelEnabled(level: string): boolean {
    return (this.#real ?? this.#parent).isLevelEnabled(level);
  }
  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#log('error', args);
  }
  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }
  info(...args: unknown[]): void {
    this.#log('info', args);
  }
  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }
  silent(): void {}
  child(bindings: Bindings, opts?: object): FastifyBaseLogger {
    return this.#child().child(bindings, opts);
  }
}

/** Fastify's `childLoggerFactory`: the per-request logger, made lazily. */
export function lazyChildLogger(logger: FastifyBaseLogger, bindings: Bindings, opts: object): FastifyBaseLogger {
  const pino = logger as Pino;
  // Without a logger (tests, `logger: false`) Fastify's null logger is its own child.
  if (typeof pino.isLevelEnabled !== 'function') return logger.child(bindings, opts);
  return new LazyChild(pino, bindings, opts) as unknown as FastifyBaseLogger;
}
