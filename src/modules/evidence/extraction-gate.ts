/**
 * For tests of kloe only (KLOE_TEST_EXTRACTION_GATE, refused unless NODE_ENV=test): a background extraction
 * job says which process took it, by a file `<gate>.taken.<pid>`, then waits until the gate file exists
 * before it reads the evidence file. A test of several nodes can then kill the node that is extracting and
 * see another node finish the job (src/multi-node.int.test.ts).
 */
import fs from 'node:fs';

export async function passGate(gate: string, signal: AbortSignal): Promise<void> {
  await fs.promises.writeFile(`${gate}.taken.${process.pid}`, '');
  while (!fs.existsSync(gate)) {
    if (signal.aborted) throw new Error('extraction given up at the test gate');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
