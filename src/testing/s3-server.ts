/**
 * A real S3-compatible server for tests (s3rver, from npm): files in a temporary folder, one bucket,
 * and the credentials it accepts. Started and stopped by the test that needs it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** The environment a kloe process needs to keep its evidence there (credentials included). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const S3RVER_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export async function startS3Server(bucket = 'kloe-evidence'): Promise<TestS3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: {
      ...S3RVER_CREDENTIALS,
      KLOE_EVIDENCE_STORE: `s3://${bucket}/evidence/`,
      KLOE_S3_ENDPOINT: endpoint,
    },
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
