/**
 * A service's improvement plan as documents: CSV (one row per action, for spreadsheets) and Word (headings
 * per aim, a table of its actions with their status in words). Both from the plan as the page reads it.
 */
import { Document, HeadingLevel, Packer } from 'docx';
import { spreadsheetCsv } from '../../files/spreadsheet-csv.js';
import { heading, para, table } from '../reports/index.js';
import type { ImprovementService } from './improvement.service.js';

type Plan = Awaited<ReturnType<ImprovementService['get']>>;

const milestonesText = (ms: { title: string; date: string }[]) => ms.map((m) => `${m.title} by ${m.date}`).join('; ');
const measuresText = (ms: { indicatorCode: string; baseline: number; target: number; targetPeriod: string }[]) =>
  ms.map((m) => `${m.indicatorCode}: from ${m.baseline} to ${m.target} by ${m.targetPeriod}`).join('; ');

export function planCsv(plan: Plan): string {
  return spreadsheetCsv(
    [
      'aim',
      'aim_title',
      'kloes',
      'action',
      'action_title',
      'owner',
      'start',
      'due',
      'status',
      'status_reason',
      'milestones',
      'indicators',
      'resources',
    ],
    plan.aims.flatMap((aim) =>
      aim.actions.map((a) => [
        aim.position,
        aim.title,
        aim.kloeRefs.join(' '),
        `${aim.position}.${a.position}`,
        a.title,
        a.ownerName,
        a.startDate,
        a.dueDate,
        a.status.label,
        a.status.override?.reason ?? null,
        milestonesText(a.milestones),
        measuresText(a.measures),
        a.resources,
      ]),
    ),
    { bom: true },
  );
}

export async function planDocx(plan: Plan): Promise<Buffer> {
  const title = `Improvement plan: ${plan.organisation.name}, ${plan.service.name}`;
  const children = [
    heading(title, HeadingLevel.TITLE),
    heading('Plan quality checks', HeadingLevel.HEADING_1),
    ...(plan.flags.length ? plan.flags.map((f) => para(`${f.count} ${f.message}`)) : [para('Every check passes.')]),
    ...plan.aims.flatMap((aim) => [
      heading(`Aim ${aim.position}: ${aim.title}`, HeadingLevel.HEADING_1),
      ...(aim.description ? [para(aim.description)] : []),
      ...(aim.kloeRefs.length ? [para(`Answers KLOE ${aim.kloeRefs.join(', ')}`)] : []),
      ...(aim.actions.length
        ? [
            table(
              ['Action', 'Owner', 'Due', 'Status', 'Milestones', 'Indicators'],
              aim.actions.map((a) => [
                `${aim.position}.${a.position} ${a.title}`,
                a.ownerName ?? 'Not named yet',
                a.dueDate ?? 'Not set',
                a.status.override ? `${a.status.label} (set by a person: ${a.status.override.reason})` : a.status.label,
                milestonesText(a.milestones) || 'None',
                measuresText(a.measures) || 'None',
              ]),
            ),
          ]
        : [para('No actions yet.')]),
    ]),
  ];
  const doc = new Document({
    title,
    creator: 'kloe',
    styles: { default: { document: { run: { font: 'Arial', size: 22 } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
