import { z } from 'zod';

export const notificationParams = z.object({ notificationId: z.string().max(64) });

export const notificationJson = z.object({
  id: z.uuid(),
  kind: z.string(),
  text: z.string(),
  href: z.string(),
  createdAt: z.date(),
  readAt: z.date().nullable(),
});

export const toNotificationJson = (n: z.infer<typeof notificationJson>) => ({
  id: n.id,
  kind: n.kind,
  text: n.text,
  href: n.href,
  createdAt: n.createdAt,
  readAt: n.readAt,
});
