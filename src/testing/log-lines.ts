/** A Fastify logger that keeps its JSON lines in memory, for tests that check what kloe logs. */
import type { AppDeps } from '../app.js';
import { logSerializers } from '../web/log-serializers.js';

export function collectLogLines(): { logger: AppDeps['logger']; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
  return { logger: { level: 'info', stream, serializers: logSerializers }, lines };
}
