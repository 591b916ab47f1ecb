/**
 * A valid JSON body for every API route that takes one, made from the route's own request schema as the app
 * publishes it in /api/openapi.json: a test that calls a route with one reaches the handler instead of stopping
 * at schema validation, and a route added tomorrow gets its sample the day it is registered.
 */
import { generateSync, type JsonSchema } from 'json-schema-faker';

/** A schema that is an object (the library's type also admits `true` and `false`). */
type JsonSchemaObject = Exclude<JsonSchema, boolean>;
import type { App } from '../app.js';

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: JsonSchemaObject }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/**
 * Every optional field filled, as a form filled in full would be: some bodies must name at least one field, or a
 * field that becomes required by another's value, rules a JSON Schema cannot say. Emails as people type them (the
 * generator's own may fall outside what the schemas accept).
 */
const GENERATION = {
  seed: 7,
  optionalsProbability: 1,
  formats: { email: () => 'someone@example.org' },
  // Lists of one or two: a body the size a person sends, under every route's body limit.
  maxItems: 2,
};

/**
 * zod publishes a pattern beside each format (a date's, an email's); the generator would honour the pattern, whose
 * matches need not be real dates or addresses, so formats are generated from the format alone.
 */
function withoutFormatPatterns(schema: JsonSchema): JsonSchema {
  if (typeof schema !== 'object' || schema === null) return schema;
  if (Array.isArray(schema)) return schema.map(withoutFormatPatterns) as unknown as JsonSchema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'pattern' && typeof schema.format === 'string') continue;
    copy[key] = typeof value === 'object' && value !== null ? withoutFormatPatterns(value as JsonSchema) : value;
  }
  return copy as JsonSchema;
}

/** `METHOD /api/things/:id` → a body that the route's schema accepts. */
export async function requestBodySamples(
  app: App,
  /** Fields to set on a route's body, for rules between fields that a JSON Schema cannot say. */
  overrides: Record<string, Record<string, unknown>> = {},
): Promise<Map<string, unknown>> {
  const response = await app.inject({ url: '/api/openapi.json' });
  const document = response.json<OpenApiDocument>();
  const samples = new Map<string, unknown>();
  for (const [openApiPath, operations] of Object.entries(document.paths)) {
    const url = openApiPath.replace(/\{(\w+)\}/g, ':$1');
    for (const [method, operation] of Object.entries(operations)) {
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      if (schema === undefined) continue;
      // Component references resolve against the root, so the components travel with the body's schema.
      const rooted = { ...(withoutFormatPatterns(schema) as JsonSchemaObject), components: document.components };
      // One seed: the same bodies on every run, so a failure can be replayed.
      const key = `${method.toUpperCase()} ${url}`;
      const sample = generateSync(rooted, GENERATION);
      samples.set(key, overrides[key] ? { ...(sample as object), ...overrides[key] } : sample);
    }
  }
  return samples;
}
