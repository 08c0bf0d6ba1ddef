/**
 * Argument parsing for the `compa` commands: node:util `parseArgs` in strict mode, its errors turned into one
 * line that names the option (`UsageError`, exit 64 in the dispatcher).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A wrong command line: the dispatcher prints `compa <command>: <message>` and exits 64. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `args` strictly: an unknown option, an option without its value or an argument too many is a
 * `UsageError` naming it. `positionals` is how many plain arguments the command takes (default none).
 */
export function parseOptions<O extends Options>(args: string[], options: O, positionals = 0) {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals > 0 });
    const extra = parsed.positionals[positionals];
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    return parsed;
  } catch (err) {
    throw usageErrorOf(err) ?? err;
  }
}

/** The `UsageError` for an error thrown by `parseArgs` (also from the commands that call it directly), else null. */
export function usageErrorOf(err: unknown): UsageError | null {
  if (err instanceof UsageError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return null;
  const message = err instanceof Error ? err.message : String(err);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${quoted}`);
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UsageError(`unexpected argument "${quoted}"`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "Option '--petition <value>' argument missing", "Option '--petition' argument is ambiguous" (followed by
    // another option), or "Option '--dry-run' does not take an argument".
    const option = quoted.split(' ')[0] ?? quoted;
    return new UsageError(/does not take/.test(message) ? `option ${option} takes no value` : `option ${option} needs a value`);
  }
  return new UsageError(message.split('\n')[0]!);
}
