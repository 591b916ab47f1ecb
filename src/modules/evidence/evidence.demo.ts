/**
 * The demo's evidence: a few items of Ashdown's self-assessment, recorded as notes (interviews, a
 * site visit, performance data) so that the demo needs no files and loads at once, with links
 * to statements so that the KLOE pages and the coverage map show something. Added once: an assessment
 * that already has evidence is left alone.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { DEMO_SELF_ASSESSMENT } from '../assessments/index.js';
import { assessments } from '../../db/schema.js';
import type { DemoPart } from '../demo/index.js';
import * as repo from './evidence.repository.js';
import { evidenceItems, type EvidenceKind, type LinkStance } from './evidence.tables.js';

interface DemoItem {
  title: string;
  kind: EvidenceKind;
  source: string;
  evidenceDate: string;
  notes: string;
  links: { kloeRef: string; statementRef: string | null; stance: LinkStance; quote?: string }[];
}

const ITEMS: DemoItem[] = [
  {
    title: 'Interview with the head of housing repairs',
    kind: 'interview',
    source: 'Head of housing repairs',
    evidenceDate: '2026-09-15',
    notes:
      'The repairs improvement plan 2025–28 sets targets for responsive repairs and is monitored monthly by the service management team. Performance is reported to members quarterly.',
    links: [
      { kloeRef: '4.1', statementRef: '4.1-P1', stance: 'supports', quote: 'targets … monitored monthly' },
      { kloeRef: '5.1.2', statementRef: '5.1.2-P1', stance: 'supports' },
    ],
  },
  {
    title: 'Tenant focus group, Ashdown estate',
    kind: 'focus_group',
    source: 'Tenants’ panel',
    evidenceDate: '2026-09-22',
    notes:
      'Tenants described faster repairs since the new scheduling system, but said complaints about damp are not followed up.',
    links: [
      { kloeRef: '4.2', statementRef: null, stance: 'contradicts', quote: 'complaints about damp are not followed up' },
    ],
  },
  {
    title: 'Reality check of void properties',
    kind: 'site_visit',
    source: 'Inspection team',
    evidenceDate: '2026-10-01',
    notes: 'Two of ten void properties visited were below the lettable standard.',
    links: [{ kloeRef: '4.3', statementRef: '4.3-P1', stance: 'contradicts' }],
  },
];

export const evidenceDemo: DemoPart = {
  module: 'evidence',
  async load(db: Database) {
    const [assessment] = await db
      .select({ id: assessments.id })
      .from(assessments)
      .where(eq(assessments.title, DEMO_SELF_ASSESSMENT));
    if (!assessment) return 'none (the demo self-assessment is missing)';
    const [existing] = await db
      .select({ id: evidenceItems.id })
      .from(evidenceItems)
      .where(eq(evidenceItems.assessmentId, assessment.id))
      .limit(1);
    if (existing) return 'none (already there)';
    for (const { links, ...item } of ITEMS) {
      const row = await repo.insertItem(db, { assessmentId: assessment.id, ...item });
      for (const link of links) {
        await repo.insertLink(db, { itemId: row.id, assessmentId: assessment.id, quote: null, ...link });
      }
    }
    return `${ITEMS.length} evidence items in the self-assessment`;
  },
};
