/**
 * `compa <command>` (bin/compa.js, `npx compa …`, `npm run compa -- …`): the server and the organiser's commands,
 * on the same database and secret as the server (same `COMPA_*` variables). `compa --help` lists the commands,
 * `compa <command> --help` explains one. The commands live in src/server/cli/ (one `Command` each, see
 * command.ts); the dispatcher is src/server/cli/dispatch.ts.
 */
import { runCli, type CommandGroup } from './cli/dispatch.ts';
import { serveCommand } from './cli/serve.ts';
import { migrateCommand } from './cli/migrate.ts';
import * as campaigns from './cli/campaigns.ts';
import { importCommand, tokenCommand } from './admin/cli.ts';
import { eraseCommand, exportCommand, keysCommand, retentionCommand } from './privacy/cli.ts';

/** Every command, under the headings of `compa --help`. */
const COMMANDS: CommandGroup[] = [
  { title: 'Server', commands: [serveCommand, migrateCommand] },
  { title: 'Administration', commands: [tokenCommand, importCommand] },
  { title: 'Petitions', commands: [campaigns.petitionPutCommand, campaigns.petitionsCommand, campaigns.actionLinksCommand] },
  {
    title: 'Webinars',
    commands: [
      campaigns.webinarPutCommand,
      campaigns.webinarsCommand,
      campaigns.registrationsCommand,
      campaigns.registrationApproveCommand,
      campaigns.registrationDeclineCommand,
    ],
  },
  { title: 'Stories', commands: [campaigns.storyPutCommand, campaigns.storiesCommand, campaigns.storyWithdrawCommand, campaigns.storiesImportCommand] },
  { title: "Supporters' data", commands: [exportCommand, eraseCommand, retentionCommand, keysCommand] },
];

process.exitCode = await runCli(process.argv.slice(2), COMMANDS);
