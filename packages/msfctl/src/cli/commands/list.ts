/**
 * `msfctl list`: every application the target has, managed or not. Managed means a spec of this run names it
 * (the spec, or a fleet's -f DIR/GLOB) or the state store keeps a ledger for it; anything else was made by
 * someone else (the console, Terraform, another state) and msfctl leaves it alone.
 */
import type { Command } from 'commander';
import { ledgerKey } from '../../controller/state/ledger-store.js';
import type { ApplicationSummary, MsfGateway } from '../../ports/msf.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { IoHost } from '../../ports/io-host.js';
import { isFleet, openContext, type GlobalOptions } from './context.js';
import { runCommand } from './run.js';

interface Listed extends ApplicationSummary {
  /** The spec file that names it, "ledger" when only the state store knows it, null when unmanaged. */
  managed: string | null;
}

interface Source {
  gateway: MsfGateway;
  state: ObjectStore;
  /** Spec files by application name. */
  specs: Map<string, string>;
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('every application on the target, managed by msfctl (a spec or a ledger) or not')
    .action(async (_o, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions>();
      await runCommand(options, async (host) => {
        const { sources, close } = isFleet(options)
          ? await fleetSources(options, host)
          : await oneSource(options, host);
        try {
          const seen = new Map<string, Listed>();
          for (const source of sources) {
            for (const app of await source.gateway.listApplications()) {
              const spec = source.specs.get(app.name);
              const managed = spec ?? ((await source.state.get(ledgerKey(app.name))) ? 'ledger' : null);
              const before = seen.get(app.name);
              if (!before || (!before.managed && managed)) seen.set(app.name, { ...app, managed });
            }
          }
          const rows = [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
          const s = host.style;
          const table = s.table(
            ['APPLICATION', 'STATUS', 'VERSION', 'RUNTIME', 'MANAGED'],
            rows.map((r) => [r.name, s.status(r.status), r.versionId, r.runtime, r.managed ?? s.dim('no')]),
          );
          const managed = rows.filter((r) => r.managed).length;
          host.result(
            `${table}\n${rows.length} application${rows.length === 1 ? '' : 's'}, ${managed} managed by msfctl.`,
            { applications: rows },
          );
          return 0;
        } finally {
          close();
        }
      });
    });
}

async function oneSource(options: GlobalOptions, host: IoHost) {
  const ctx = await openContext(options, { spec: 'optional', accountLevel: true, readOnly: true }, host);
  const specs = new Map<string, string>();
  if (ctx.spec) specs.set(ctx.spec.spec.application, ctx.spec.source.path);
  return { sources: [{ gateway: ctx.gateway, state: ctx.state, specs }], close: () => ctx.close() };
}

/** One source per distinct target and state store of the fleet's specs. */
async function fleetSources(options: GlobalOptions, host: IoHost) {
  const { openFleet } = await import('./fleet-context.js');
  const fleet = openFleet(options, host, new Map(), { readOnly: true });
  const sources = new Map<string, Source>();
  for (const member of fleet.members) {
    const { ports, state } = await member.open();
    const key = `${JSON.stringify(ports.resolved)} ${state.location}`;
    const source = sources.get(key) ?? { gateway: ports.gateway, state, specs: new Map<string, string>() };
    source.specs.set(member.application, member.file);
    sources.set(key, source);
  }
  return { sources: [...sources.values()], close: () => fleet.close() };
}
