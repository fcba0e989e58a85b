import type { ChatTransport, TransportId, TransportOptions } from './types.js';

/**
 * Transports by `params.transport` id. The SDK one loads lazily, so a run on the default transport never
 * loads the openai package.
 */
export const TRANSPORTS: Record<TransportId, (opts: TransportOptions) => Promise<ChatTransport>> = {
  socket: async (o) => (await import('./socket.js')).createSocketTransport(o),
  native: async (o) => (await import('./native.js')).createNativeTransport(o),
  sdk: async (o) => (await import('./sdk.js')).createSdkTransport(o),
};

export function isTransportId(id: unknown): id is TransportId {
  return typeof id === 'string' && Object.hasOwn(TRANSPORTS, id);
}
