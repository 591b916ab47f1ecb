/**
 * Whether a string can be a UUID primary key. Asked before a lookup, so that a malformed id in a URL or
 * a command answers "not found" instead of reaching PostgreSQL, which rejects it with an error.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
