/**
 * Demo people, one per role, for trying kloe out locally. Their password is published in the README,
 * which is why demo data is never loaded when NODE_ENV=production.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { DemoPart } from '../demo/index.js';
import { organisations } from '../../db/schema.js';
import type { Role } from './accounts.tables.js';
import { createAccountsService } from './accounts.service.js';

export const DEMO_PASSWORD = 'kloe-demo-2026';
/** The demo organisation whose members the demo member and viewer are (see the organisations part). */
const DEMO_ORGANISATION_CODE = 'E07000901';

export const DEMO_PEOPLE: { name: string; email: string; role: Role; ofOrganisation: boolean }[] = [
  { name: 'Ada Okafor', email: 'admin@example.org', role: 'administrator', ofOrganisation: false },
  { name: 'Ian Fletcher', email: 'inspector@example.org', role: 'inspector', ofOrganisation: false },
  { name: 'Leila Brandt', email: 'lead.inspector@example.org', role: 'inspector', ofOrganisation: false },
  { name: 'Morgan Hale', email: 'member@example.org', role: 'organisation_member', ofOrganisation: true },
  { name: 'Vivian Cole', email: 'viewer@example.org', role: 'viewer', ofOrganisation: true },
];

export const accountsDemo: DemoPart = {
  module: 'accounts',
  async load(db: Database) {
    const accounts = createAccountsService({ db });
    const [organisation] = await db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.code, DEMO_ORGANISATION_CODE));
    let added = 0;
    for (const person of DEMO_PEOPLE) {
      if (await accounts.findByEmail(person.email)) continue;
      if (person.ofOrganisation && !organisation) continue;
      await accounts.create(
        {
          name: person.name,
          email: person.email,
          role: person.role,
          organisationId: person.ofOrganisation ? organisation!.id : null,
          password: DEMO_PASSWORD,
        },
        { kind: 'system', label: 'demo data' },
      );
      added++;
    }
    return `${added} people (password ${DEMO_PASSWORD})`;
  },
};
