import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

// A random secret: production refuses a patterned one.
const SECRET = 'q3Yl0c9VxS7mR2fJ8kT4wB1nZ6hD5gPa';

describe('development conveniences and speed are separate settings', () => {
  it('serves at full speed as `npm start` runs it (no NODE_ENV), with the demo on a new database', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.watchTemplates).toBe(false);
    expect(config.demo).toBe('first-run');
  });

  it('watches templates only when KLOE_WATCH_TEMPLATES=true', () => {
    expect(loadConfig({ KLOE_WATCH_TEMPLATES: 'true' }).watchTemplates).toBe(true);
    expect(loadConfig({ KLOE_WATCH_TEMPLATES: 'false' }).watchTemplates).toBe(false);
    expect(() => loadConfig({ KLOE_WATCH_TEMPLATES: 'yes' })).toThrow(
      new ConfigError('Invalid configuration: KLOE_WATCH_TEMPLATES must be true or false'),
    );
  });

  it('loads the demo as KLOE_DEMO says, and never in production', () => {
    expect(loadConfig({ KLOE_DEMO: 'off' }).demo).toBe('off');
    expect(loadConfig({ NODE_ENV: 'production', KLOE_SECRET: SECRET }).demo).toBe('off');
    expect(() => loadConfig({ NODE_ENV: 'production', KLOE_SECRET: SECRET, KLOE_DEMO: 'first-run' })).toThrow(
      new ConfigError('Invalid configuration: KLOE_DEMO=first-run is not allowed when NODE_ENV=production'),
    );
  });
});

const production = (secret: string) => () => loadConfig({ NODE_ENV: 'production', KLOE_SECRET: secret });

describe('KLOE_SECRET in production', () => {
  it('refuses secrets that are long enough but patterned', () => {
    for (const secret of ['a'.repeat(39), 'password1234'.repeat(3), 'abcdefghijklmnopqrstuvwxyz0123456789']) {
      expect(production(secret)).toThrow(ConfigError);
      expect(production(secret)).toThrow(/^Invalid configuration: KLOE_SECRET is too easy to guess/);
    }
  });

  it('accepts a secret made by a random generator, and never repeats it in the message', () => {
    const random = 'q3Yl0c9VxS7mR2fJ8kT4wB1nZ6hD5gPa';
    expect(loadConfig({ NODE_ENV: 'production', KLOE_SECRET: random }).secret).toBe(random);
    expect(production('a'.repeat(39))).not.toThrow(/aaaa/);
  });

  it('leaves development alone: kloe makes its own secret there when none is given', () => {
    expect(loadConfig({ NODE_ENV: 'development', KLOE_SECRET: 'a'.repeat(39) }).secret).toBe('a'.repeat(39));
  });
});

describe('KLOE_TRUST_PROXY', () => {
  it('takes addresses, CIDR ranges and proxy-addr names, and refuses anything else naming the variable', () => {
    expect(loadConfig({ KLOE_TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
      'loopback',
    ]);
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(() => loadConfig({ KLOE_TRUST_PROXY: 'true' })).toThrow(
      /^Invalid configuration: KLOE_TRUST_PROXY must list/,
    );
  });
});

describe('KLOE_EVIDENCE_STORE', () => {
  it('keeps evidence in the folder unless a store is named', () => {
    expect(loadConfig({}).evidence.s3).toBeUndefined();
  });

  it('reads the bucket and prefix from an s3:// URL, with the bucket in the path for another server', () => {
    const { s3 } = loadConfig({
      KLOE_EVIDENCE_STORE: 's3://kloe-evidence/county/files',
      KLOE_S3_ENDPOINT: 'http://127.0.0.1:9000/',
      KLOE_S3_REGION: 'eu-west-2',
    }).evidence;
    expect(s3).toEqual({
      bucket: 'kloe-evidence',
      prefix: 'county/files/',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-2',
      forcePathStyle: true,
    });
    expect(loadConfig({ KLOE_EVIDENCE_STORE: 's3://kloe' }).evidence.s3).toMatchObject({
      prefix: '',
      endpoint: undefined,
      forcePathStyle: false,
    });
  });

  it('refuses a store that is not an s3:// URL, and an endpoint without a store, naming the variable', () => {
    expect(() => loadConfig({ KLOE_EVIDENCE_STORE: '/srv/evidence' })).toThrow(/KLOE_EVIDENCE_STORE must be s3:\/\//);
    expect(() => loadConfig({ KLOE_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(
      /KLOE_S3_ENDPOINT is set but KLOE_EVIDENCE_STORE is not/,
    );
  });
});

describe('the job queue and its test gate', () => {
  it('takes a heartbeat of at least 10 s, 30 by default', () => {
    expect(loadConfig({}).jobs).toEqual({ heartbeatSeconds: 30 });
    expect(loadConfig({ KLOE_JOB_HEARTBEAT_SECONDS: '10' }).jobs).toEqual({ heartbeatSeconds: 10 });
    expect(() => loadConfig({ KLOE_JOB_HEARTBEAT_SECONDS: '5' })).toThrow(/KLOE_JOB_HEARTBEAT_SECONDS/);
  });

  it('holds extraction at a gate only in tests of kloe', () => {
    expect(loadConfig({ NODE_ENV: 'test', KLOE_TEST_EXTRACTION_GATE: '/tmp/gate' }).testExtractionGate).toBe(
      '/tmp/gate',
    );
    expect(loadConfig({}).testExtractionGate).toBeUndefined();
    expect(() => loadConfig({ KLOE_TEST_EXTRACTION_GATE: '/tmp/gate' })).toThrow(
      new ConfigError('Invalid configuration: KLOE_TEST_EXTRACTION_GATE is for tests of kloe (NODE_ENV=test) only'),
    );
  });
});
