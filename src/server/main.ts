import { serve } from './cli/serve.ts';

/** `npm start`: the same server as `compa serve` (src/server/cli/serve.ts), exiting with its code once stopped. */
process.exit(await serve());
