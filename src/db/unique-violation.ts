/**
 * Recognising a unique-constraint violation (SQLSTATE 23505) from either driver. Drizzle wraps the
 * driver's error, so the code and the constraint's name are looked for on the error and on its cause.
 * Services catch it to turn a lost race on a unique value into a 409 naming the field.
 */
interface DriverError {
  code?: unknown;
  constraint?: unknown;
  cause?: unknown;
}

/** The name of the unique constraint the error violated ('' when the driver did not say), or undefined. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  for (let current = error as DriverError | undefined, depth = 0; current && depth < 3; depth++) {
    if (current.code === '23505') return typeof current.constraint === 'string' ? current.constraint : '';
    current = current.cause as DriverError | undefined;
  }
  return undefined;
}
