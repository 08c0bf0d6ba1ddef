/**
 * The `compa` dispatcher: finds the command named by the first argument and runs it; prints the list of commands
 * (`compa`, `compa --help`, `compa help`) or one command's help (`compa <command> --help`, `compa help <command>`).
 * Exit codes are those of `EXIT` (command.ts): a wrong command line is 64, a bad `COMPA_*` variable 78.
 */
import { ConfigError } from '../config.ts';
import { VERSION } from '../version.ts';
import { usageErrorOf } from './args.ts';
import { EXIT, type Command } from './command.ts';

/** Commands under a heading, for `compa --help`. */
export interface CommandGroup {
  title: string;
  commands: Command[];
}

export function commandList(groups: CommandGroup[]): string {
  const width = Math.max(...groups.flatMap((g) => g.commands.map((c) => c.name.length)));
  const lines = [`Compa ${VERSION}: the organisation's server and its organiser commands.`, '', 'usage: compa <command> [options]', ''];
  for (const g of groups) {
    lines.push(`${g.title}:`);
    for (const c of g.commands) lines.push(`  ${c.name.padEnd(width)}  ${c.summary}`);
    lines.push('');
  }
  lines.push(
    '`compa <command> --help` explains a command: its options, what it prints, its exit codes.',
    'Every command reads the same COMPA_* variables as the server (README: "Configuration").',
  );
  return lines.join('\n');
}

/** True when `args` ask for help (`--help` or `-h` before a `--`). */
function wantsHelp(args: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** Runs `compa` with `argv` (the arguments after `compa`); resolves to the exit code. */
export async function runCli(argv: string[], groups: CommandGroup[]): Promise<number> {
  const commands = new Map(groups.flatMap((g) => g.commands.map((c) => [c.name, c] as const)));
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && args.length === 0)) {
    console.log(commandList(groups));
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    console.log(VERSION);
    return EXIT.ok;
  }
  const helpFor = name === 'help' ? args[0]! : wantsHelp(args) ? name : null;
  const command = commands.get(helpFor ?? name);
  if (!command) {
    const unknown = helpFor ?? name;
    console.error(`compa: unknown ${unknown.startsWith('-') ? 'option' : 'command'} "${unknown}"\n\n${commandList(groups)}`);
    return EXIT.usage;
  }
  if (helpFor) {
    console.log(command.help.trimEnd());
    return EXIT.ok;
  }
  try {
    return await command.run(args);
  } catch (err) {
    const usage = usageErrorOf(err);
    if (usage) {
      console.error(`compa ${command.name}: ${usage.message} (see compa ${command.name} --help)`);
      return EXIT.usage;
    }
    if (err instanceof ConfigError) {
      console.error(`compa ${command.name}: bad configuration: ${err.message}`);
      return EXIT.config;
    }
    console.error(`compa ${command.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT.failed;
  }
}
