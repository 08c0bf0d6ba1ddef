/**
 * One subcommand of the `compa` command. Each command module exports one (or several) of these; `src/server/cli.ts`
 * dispatches to them and prints `help` for `compa <name> --help`.
 *
 * Exit codes (sysexits): 0 done, 1 failed, 64 usage (bad arguments), 65 bad data (a file or value is wrong),
 * 66 an input file is missing, 69 unavailable (e.g. a sealed row without the private key), 78 bad configuration.
 */
export interface Command {
  /** The word after `compa` (e.g. `export`, `token`). */
  name: string;
  /** One line for `compa --help`. */
  summary: string;
  /** The whole `--help` text: usage line(s), options, what it prints, exit codes. */
  help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. Output: data on stdout, messages on stderr. */
  run(args: string[]): Promise<number>;
}

export const EXIT = { ok: 0, failed: 1, usage: 64, data: 65, noInput: 66, unavailable: 69, config: 78 } as const;
