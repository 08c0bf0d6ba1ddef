import type { CompaContext } from '../context.ts';
import { adminStore } from '../store/admin-store.ts';

/**
 * Records an organiser command's action in the admin audit log (who: the command; what; when), as the admin API
 * does for its routes. `target` holds ids, slugs and counts only: never an address or a name.
 */
export async function auditCommand(ctx: CompaContext, command: string, target: Record<string, string>): Promise<void> {
  await adminStore(ctx.store).audit({
    at: ctx.now(),
    tokenId: null,
    tokenName: `compa ${command.split(' ')[0]} (command)`,
    method: 'CLI',
    route: command,
    target,
    status: 0,
  });
}
