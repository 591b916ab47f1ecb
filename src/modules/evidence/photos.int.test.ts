import { readFile } from 'node:fs/promises';
import exifr from 'exifr';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { cookiesFrom, mergeCookies } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { testConfig } from '../../testing/test-config.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { evidenceFilePath } from './evidence-storage.js';
import { multipartBody } from '../../files/multipart-body.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

/** A phone's photo: a JPEG with its camera's make and model, and where it was taken. */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Testphone', Model: 'TP-1 Field', Software: 'Camera 2.0' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 26/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 39/1' },
    })
    .toBuffer();
}

describeEachDatabase('photos as evidence of a statement', (driver) => {
  const t = useTestApp(driver);
  const evidenceDir = testConfig().evidence.dir;
  let member: TestUser;
  let viewer: TestUser;
  let assessmentId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const organisation = await createTestOrganisation(db, { name: 'Photo Council' });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, organisation.id, {
      name: 'Estates',
    });
    member = await createTestUser(db, 'organisation_member', { organisationId: organisation.id });
    viewer = await createTestUser(db, 'viewer', { organisationId: organisation.id });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: member.headers,
      payload: { organisationId: organisation.id, serviceId: service.id, kind: 'self_assessment', title: 'Estates' },
    });
    assessmentId = res.json().id;
  });

  const kloePage = () => `/assessments/${assessmentId}/kloes/4.1`;

  /** Posts the KLOE page's photo form as a browser would, with its CSRF token and cookie. */
  async function postPhoto(user: TestUser, fields: Record<string, string>, photo?: Buffer, action = kloePage()) {
    const page = await t.app.inject({ url: kloePage(), headers: user.headers });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const { payload, headers } = multipartBody(
      { _csrf: token, ...fields },
      photo ? [{ field: 'photo', name: 'IMG_0042.jpg', bytes: photo, type: 'image/jpeg' }] : [],
    );
    return t.app.inject({
      method: 'POST',
      url: `${action}/photos`,
      headers: { ...user.headers, ...headers, cookie: mergeCookies(cookiesFrom(page.headers['set-cookie'])) },
      payload,
    });
  }

  async function storedFileOf(itemPath: string) {
    const itemId = itemPath.split('/').at(-1)!;
    const item = await t.app.inject({
      url: `/api/assessments/${assessmentId}/evidence/${itemId}`,
      headers: member.headers,
    });
    const detail = item.json() as {
      title: string;
      kind: string;
      notes: string | null;
      files: { sha256: string }[];
      links: { statementRef: string; stance: string }[];
    };
    return { detail, bytes: await readFile(evidenceFilePath(evidenceDir, detail.files[0]!.sha256)) };
  }

  describe('from the KLOE page', () => {
    it('offers the camera for the statements of the KLOE', async () => {
      const page = await t.app.inject({ url: kloePage(), headers: member.headers });
      expect(page.body).toContain('id="kloe-photo"');
      expect(page.body).toMatch(/<input[^>]*name="photo"[^>]*accept="image\/\*"[^>]*capture="environment"/);
      expect(page.body).toContain('<option value="4.1-P1"');
      // A viewer may not add evidence: no form.
      const seen = await t.app.inject({ url: kloePage(), headers: viewer.headers });
      expect(seen.body).not.toContain('id="kloe-photo"');
    });

    it('keeps the photo without its location and camera details, as evidence of the statement', async () => {
      const original = await phonePhoto();
      expect(await exifr.parse(original, { gps: true })).toMatchObject({
        Make: 'Testphone',
        latitude: expect.any(Number),
      });

      const res = await postPhoto(member, { statementRef: '4.1-U1', note: 'Repaired stairwell, block C' }, original);
      expect(res.statusCode, res.body).toBe(303);
      expect(res.headers.location).toBe(`${kloePage()}?done=photo-added#statement-4.1-U1`);

      const items = (
        await t.app.inject({ url: `/api/assessments/${assessmentId}/evidence`, headers: member.headers })
      ).json() as { items: { id: string; title: string }[] };
      const photoItem = items.items.find((i) => i.title === 'Photo for 4.1-U1')!;
      const { detail, bytes } = await storedFileOf(`/x/${photoItem.id}`);
      expect(detail).toMatchObject({ kind: 'site_visit', notes: 'Repaired stairwell, block C' });
      expect(detail.links).toEqual([expect.objectContaining({ statementRef: '4.1-U1', stance: 'supports' })]);

      // The stored file: still the picture, with no EXIF at all (no GPS, no make or model).
      const meta = await sharp(bytes).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
      expect(meta.exif).toBeUndefined();
      expect(await exifr.parse(bytes, { gps: true })).toBeUndefined();
      expect(bytes.includes(Buffer.from('Testphone'))).toBe(false);

      // The KLOE page shows the photo against the statement, and says it was added.
      const page = await t.app.inject({ url: `${kloePage()}?done=photo-added`, headers: member.headers });
      expect(page.body).toContain('Photo added as evidence.');
      expect(page.body).toContain('Photo for 4.1-U1');
    });

    it('keeps the details when asked to', async () => {
      const original = await phonePhoto();
      const res = await postPhoto(member, { statementRef: '4.1-P1', note: 'kept', keepMetadata: 'yes' }, original);
      expect(res.statusCode, res.body).toBe(303);
      const items = (
        await t.app.inject({ url: `/api/assessments/${assessmentId}/evidence`, headers: member.headers })
      ).json() as { items: { id: string; title: string }[] };
      const { bytes } = await storedFileOf(`/x/${items.items.find((i) => i.title === 'Photo for 4.1-P1')!.id}`);
      expect(bytes.equals(original)).toBe(true);
      expect(await exifr.parse(bytes, { gps: true })).toMatchObject({ Make: 'Testphone' });
    });

    it('refuses no photo, a statement of another KLOE and a file that is not a picture, keeping the note', async () => {
      const none = await postPhoto(member, { statementRef: '4.1-P1', note: 'Lobby' });
      expect(none.statusCode).toBe(400);
      expect(none.body).toContain('There is a problem');
      expect(none.body).toContain('href="#photo"');
      expect(none.body).toContain('Take a photo or choose one');
      expect(none.body).toContain('>Lobby</textarea>');

      const elsewhere = await postPhoto(member, { statementRef: '6.1-P1', note: 'Lobby' }, await phonePhoto());
      expect(elsewhere.statusCode).toBe(400);
      expect(elsewhere.body).toContain('Choose a statement of KLOE 4.1');
      expect(elsewhere.body).toContain('href="#statementRef"');
      expect(elsewhere.body).toContain('id="statementRef"');

      const notPicture = await postPhoto(member, { statementRef: '4.1-P1' }, Buffer.from('just some words\n'));
      expect(notPicture.statusCode).toBe(415);
      expect(notPicture.body).toContain('is a plain text file, which is not accepted');
    });

    it('refuses a viewer, who may see the KLOE but not add evidence to it', async () => {
      const refused = await postPhoto(viewer, { statementRef: '4.1-P1' }, await phonePhoto());
      expect(refused.statusCode).toBe(403);
    });
  });

  it('takes a photo through the API, and says whether its details were removed', async () => {
    const { payload, headers } = multipartBody({ statementRef: '4.1-P1', note: 'Entrance' }, [
      { field: 'photo', name: 'IMG_1.jpg', bytes: await phonePhoto(), type: 'image/jpeg' },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api${kloePage()}/photos`,
      headers: { ...member.headers, ...headers },
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { itemId: string; statementRef: string; sha256: string; metadataRemoved: boolean };
    expect(body).toMatchObject({ statementRef: '4.1-P1', metadataRemoved: true });
    const bytes = await readFile(evidenceFilePath(evidenceDir, body.sha256));
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();

    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/kloes/9.9/photos`,
      headers: { ...member.headers, ...headers },
      payload,
    });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json()).toMatchObject({ code: 'kloe_not_in_assessment' });
  });
});
