import { expect, it } from 'vitest';
import { demoOrganisations } from './organisations.demo-data.js';

it('draws the same plausible figures on every call', () => {
  const first = demoOrganisations();
  expect(demoOrganisations()).toEqual(first);
  expect(new Set(first.map((o) => o.code)).size).toBe(first.length);
  expect(new Set(first.map((o) => o.name)).size).toBe(first.length);
  for (const organisation of first.filter((o) => o.type === 'council')) {
    expect(organisation.attributes.population).toBeGreaterThanOrEqual(60_000);
    expect(organisation.attributes.population).toBeLessThanOrEqual(190_000);
    expect(Number.isInteger(organisation.attributes.stockSize)).toBe(true);
  }
});
