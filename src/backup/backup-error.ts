/** A backup or restore refused for a reason the operator can act on; the CLI prints it as one line. */
export class BackupError extends Error {
  override name = 'BackupError';
}
