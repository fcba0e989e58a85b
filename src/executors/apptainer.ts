import type { LaunchSpec } from '../engines/frameworks/types.js';
import { VlmhbError } from '../errors.js';
import { apptainerCommand } from './apptainer-command.js';
import { loadExecutor } from './registry.js';
import type { Executor, RunningServer, ServerSpec, StartContext } from './types.js';

/**
 * `apptainer`: the framework's server inside an Apptainer (or Singularity) container —
 * `apptainer exec [--nv] --bind … IMAGE server-argv` — for clusters where Docker is not allowed. Apptainer
 * shares the host network and runs the container as a child of its own process, so everything the local
 * executor does for a process applies unchanged: its own process group (stop reaches apptainer's runtime
 * parent and the server inside), the log in `<logDir>/server.log`, readiness on 127.0.0.1. Only the argv and
 * environment differ (src/executors/apptainer-command.ts).
 */
export const apptainerExecutor: Executor = {
  id: 'apptainer',
  supportsGpu: true,
  async start(spec: ServerSpec, ctx: StartContext): Promise<RunningServer> {
    const wrap = (launch: LaunchSpec) =>
      apptainerCommand({ spec, launch, device: ctx.device, env: process.env });
    let wrapped: ServerSpec;
    try {
      const { launchAt } = spec;
      wrapped = {
        ...spec,
        launch: wrap(spec.launch),
        // The host network is shared: the server binds the address the local executor picked, inside.
        ...(launchAt ? { launchAt: (bind: { host: string; port: number }) => wrap(launchAt(bind)) } : {}),
      };
    } catch (e) {
      throw new VlmhbError('VLMHB_EXECUTOR_FAILED', (e as Error).message, { cause: e });
    }
    const local = await loadExecutor('local');
    try {
      const server = await local.start(wrapped, ctx);
      return { ...server, handle: `apptainer ${wrapped.launch.argv.join(' ')}` };
    } catch (e) {
      if (e instanceof VlmhbError) {
        throw new VlmhbError(e.code, e.message.replace(/^executor local:/, 'executor apptainer:'), {
          cause: e,
        });
      }
      throw e;
    }
  },
};
