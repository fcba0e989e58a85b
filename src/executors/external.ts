import { VlmhbError } from '../errors.js';
import type { Executor, RunningServer, ServerSpec, StartContext } from './types.js';

/**
 * `external`: the server is already running at the task's `base_url` (started by hand, by a platform, or a
 * hosted API). Nothing is started or stopped; readiness and the served model are checked by the task's
 * probe, as for every executor.
 */
export const externalExecutor: Executor = {
  id: 'external',
  supportsGpu: false,
  async start(spec: ServerSpec, _ctx: StartContext): Promise<RunningServer> {
    if (!spec.baseUrl)
      throw new VlmhbError(
        'VLMHB_USAGE',
        `executor external: ${spec.framework} · ${spec.model} has no base_url (the address of the running server); give base_url, or let an executor start it (--executor local|docker)`,
      );
    return {
      baseUrl: spec.baseUrl,
      loadMs: 0,
      logFile: '',
      tail: () => '',
      stop: async () => {},
    };
  },
};
