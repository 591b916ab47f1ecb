/**
 * The inspectorate's branding: its name and logo on every report (title page and each page's header) and
 * on the public report pages. Administrators set it; the logo is re-encoded on upload (logo-image.ts);
 * each change is audited in the same transaction. One row, read by every report as it is made, so a
 * published report's stored files keep the branding they were made with.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { Upload } from '../../files/upload-files.js';
import type { UserActor } from '../accounts/index.js';
import { recordAudit } from '../audit/index.js';
import type { BrandingInput } from './branding.schemas.js';
import { LOGO_MAX_BYTES, logoTooLarge, sanitiseLogo } from './logo-image.js';
import type { ReportBranding } from './report.model.js';
import { reportBranding } from './reports.tables.js';

const ROW_ID = 'inspectorate';

type BrandingRow = typeof reportBranding.$inferSelect;

async function findRow(db: Database) {
  const [row] = await db.select().from(reportBranding).where(eq(reportBranding.id, ROW_ID));
  return row ?? null;
}

const dataUri = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;

/** The branding as a report shows it; no name and no logo when none has been set. */
export async function findBranding(db: Database): Promise<ReportBranding> {
  const row = await findRow(db);
  return {
    name: row?.name ?? null,
    logo:
      row?.logoPng && row.logoWidth && row.logoHeight
        ? { dataUri: dataUri(row.logoPng), width: row.logoWidth, height: row.logoHeight }
        : null,
  };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What the audit trail and the API say of the row: the name, and the logo's size and hash (not its bytes). */
const described = (row: BrandingRow | null) => ({
  name: row?.name ?? null,
  logo: row?.logoPng
    ? { width: row.logoWidth!, height: row.logoHeight!, size: row.logoPng.length, sha256: sha256(row.logoPng) }
    : null,
});

export function createBrandingService(deps: { db: Database }) {
  const { db } = deps;
  const view = (row: BrandingRow | null) => {
    const { name, logo } = described(row);
    return {
      name,
      logo: logo && row?.logoPng ? { ...logo, dataUri: dataUri(row.logoPng) } : null,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  };

  return {
    async get() {
      return view(await findRow(db));
    },

    /** Sets the name, and the logo when one is uploaded (or removes it); nothing is kept from a refused file. */
    async save(actor: UserActor, input: BrandingInput, uploads: Upload[]) {
      const upload = uploads[0];
      if (upload && upload.size > LOGO_MAX_BYTES) throw logoTooLarge();
      const logo = upload ? await sanitiseLogo(await readFile(upload.path)) : undefined;
      return db.transaction(async (tx) => {
        const before = await findRow(tx);
        const values = {
          name: input.name,
          ...(logo
            ? { logoPng: logo.png, logoWidth: logo.width, logoHeight: logo.height }
            : input.removeLogo
              ? { logoPng: null, logoWidth: null, logoHeight: null }
              : {}),
          updatedBy: actor.userId,
          updatedAt: new Date(),
        };
        const [after] = await tx
          .insert(reportBranding)
          .values({ id: ROW_ID, ...values })
          .onConflictDoUpdate({ target: reportBranding.id, set: values })
          .returning();
        await recordAudit(tx, {
          actor,
          action: 'report.branding_saved',
          entityType: 'report_branding',
          entityId: ROW_ID,
          before: described(before),
          after: described(after ?? null),
        });
        return view(after ?? null);
      });
    },
  };
}

export type BrandingService = ReturnType<typeof createBrandingService>;
