/**
 * What makes kloe an installable web app that keeps working offline (docs/fieldwork-on-a-phone.md): the web
 * app manifest (name, icons, start page) and the service worker, served from the root so that its scope is
 * the whole site. Both are public: a browser fetches them without the session.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { publicFolder } from '../paths.js';

const ICON_SIZES = [192, 512];

export const webAppManifest = {
  name: 'kloe',
  short_name: 'kloe',
  description: 'Inspections and self-assessments against Key Lines of Enquiry',
  id: '/',
  start_url: '/assessments',
  scope: '/',
  display: 'standalone',
  background_color: '#ffffff',
  theme_color: '#1d70b8',
  icons: [
    ...ICON_SIZES.map((size) => ({
      src: `/assets/kloe-icon-${size}.png`,
      sizes: `${size}x${size}`,
      type: 'image/png',
      purpose: 'any',
    })),
    { src: '/assets/kloe-icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
  ],
};

export function registerInstallable(app: FastifyInstance): void {
  const manifest = JSON.stringify(webAppManifest);
  app.get('/manifest.webmanifest', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) =>
    reply.type('application/manifest+json').header('cache-control', 'public, max-age=3600').send(manifest),
  );

  let worker: Promise<Buffer> | undefined;
  app.get('/sw.js', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => {
    worker ??= readFile(path.join(publicFolder, 'sw.js'));
    // Always asked again, so a new version of kloe replaces the old worker on the next visit.
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(await worker);
  });
}
