import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const SECRET = 'x'.repeat(32);

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
