/**
 * The organisations part: adds the demo organisations and their services that are missing, found by
 * code and by service name, so that loading the demo again adds nothing twice. It runs before the
 * people part, whose demo member and viewer belong to Ashdown District Council.
 */
import type { Database } from '../../db/database.js';
import type { SystemActor } from '../audit/index.js';
import type { DemoPart } from '../demo/index.js';
import { demoOrganisations } from './organisations.demo-data.js';
import * as repo from './organisations.repository.js';
import { createOrganisationsService } from './organisations.service.js';

const DEMO_ACTOR: SystemActor = { kind: 'system', label: 'demo data' };

export const organisationsDemo: DemoPart = {
  module: 'organisations',
  async load(db: Database) {
    const organisations = createOrganisationsService({ db });
    let organisationsAdded = 0;
    let servicesAdded = 0;
    for (const { services, ...demo } of demoOrganisations()) {
      let organisation = await repo.findOrganisationByCode(db, demo.code);
      if (!organisation) {
        organisation = await organisations.create(DEMO_ACTOR, demo);
        organisationsAdded++;
      }
      const existing = new Set((await repo.listServices(db, organisation.id)).map((s) => s.name));
      for (const service of services.filter((s) => !existing.has(s.name))) {
        await organisations.createService(DEMO_ACTOR, organisation.id, service);
        servicesAdded++;
      }
    }
    return `${organisationsAdded} organisations, ${servicesAdded} services`;
  },
};
