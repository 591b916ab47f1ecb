/**
 * Draining connections while the app closes (a stopping server). Node stops accepting, closes the
 * keep-alive connections idle at that moment and those that go idle later; Fastify would answer 503 to a
 * request arriving meanwhile (return503OnClosing, turned off in app.ts: the process can still answer it).
 * Two gaps remain, closed here:
 * - a connection opened but never used (a browser opens spare ones) is not "idle" to Node, and held the
 *   process until the headers timeout (about 70 s): it is closed at once;
 * - a response sent while closing said `keep-alive`, so its client could send its next request on a
 *   connection about to close: it says `Connection: close`.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export function registerDrain(app: FastifyInstance): void {
  const sockets = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
  });
  app.addHook('onSend', async (request, reply) => {
    if (closing && request.raw.httpVersionMajor === 1) reply.header('connection', 'close');
  });
}
