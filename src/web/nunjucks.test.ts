import { describe, expect, it } from 'vitest';
import { createViewEnvironment } from './nunjucks.js';

describe('view filters', () => {
  it('writes a count as people read it, grouped in thousands', () => {
    const env = createViewEnvironment();
    expect(env.renderString('{{ n | count }} values held', { n: 26_911 })).toBe('26,911 values held');
    expect(env.renderString('{{ n | count }}', { n: 1_583_984 })).toBe('1,583,984');
  });
});
