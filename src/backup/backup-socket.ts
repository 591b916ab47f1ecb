/**
 * Online backups of the embedded database: the serving process holds the data folder's lock, so it alone can
 * read the database, and it answers `kloe backup` on a Unix socket in the data folder (kloe-backup/socket). The
 * socket is not on the network and lies in a folder only its owner may enter (0700, made before the socket, so
 * there is no moment when others could connect): whoever may use it may read the data folder anyway, so it
 * needs no credential of its own.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { BackupError } from './backup-error.js';

const BACKUP_PATH = '/backup';

const socketFolder = (dataDir: string) => path.join(dataDir, 'kloe-backup');
export const backupSocketPath = (dataDir: string) => path.join(socketFolder(dataDir), 'socket');

export interface BackupSocket {
  close(): Promise<void>;
}

/**
 * Listens on the data folder's socket; each POST /backup gets a whole backup written by `write`. Called only
 * by the process holding the folder's lock, so a socket file already there is a stopped process's and goes.
 */
export async function serveBackups(
  dataDir: string,
  write: (out: Writable) => Promise<unknown>,
  onError: (error: unknown) => void,
): Promise<BackupSocket> {
  const socketPath = backupSocketPath(dataDir);
  fs.mkdirSync(socketFolder(dataDir), { mode: 0o700, recursive: true });
  // Made by an earlier version or by hand with other rights: the folder is what keeps others out.
  fs.chmodSync(socketFolder(dataDir), 0o700);
  fs.rmSync(socketPath, { force: true });
  const server = http.createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== BACKUP_PATH) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/x-tar' });
    write(response).catch((error: unknown) => {
      onError(error);
      // Cut short, the client sees a broken transfer rather than a file that merely looks complete.
      response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Whether a kloe process serves backups from this data folder (a socket file left by a killed one does not). */
export function backupServerListening(dataDir: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(backupSocketPath(dataDir));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Asks the serving kloe for a backup and streams it to `out`; fails if it is cut short. */
export async function requestBackup(dataDir: string, out: Writable): Promise<void> {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = http.request({ socketPath: backupSocketPath(dataDir), method: 'POST', path: BACKUP_PATH });
    request.once('response', resolve);
    request.once('error', (error: NodeJS.ErrnoException) =>
      reject(new BackupError(`cannot reach the kloe serving ${dataDir}: ${error.code ?? error.message}`)),
    );
    request.end();
  });
  if (response.statusCode !== 200)
    throw new BackupError(`the running kloe refused the backup (${response.statusCode})`);
  try {
    await pipeline(response, out);
  } catch {
    throw new BackupError('the running kloe stopped before the backup was complete; see its log');
  }
}
