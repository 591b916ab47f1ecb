import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { starterTemplate } from './starter-template.js';
import { sampleData } from './template-data.js';
import { createTemplateRenderer, TEMPLATE_RENDERER_LIMITS } from './template-renderer.js';
import { templateDocx } from './testing/template-files.js';

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => {
      if (!(error instanceof AppError)) throw error;
      return error;
    },
  );

/** 400 paragraphs of fields per item of a list as long as asked: slow and large on purpose. */
async function heavy(items: number) {
  const template = await templateDocx([
    '{{FOR k IN kloes}}',
    ...Array.from({ length: 400 }, () => '{{$k.ref}} {{$k.question}} {{$k.rating}} {{$k.rationale}}'),
    '{{END-FOR k}}',
  ]);
  const data = sampleData() as { kloes: unknown[] };
  data.kloes = Array.from({ length: items }, () => data.kloes[0]);
  return { template, data };
}

describe('templates filled in a worker thread with limits', () => {
  it('inspects and fills the starter template', async () => {
    const renderer = createTemplateRenderer();
    const starter = await starterTemplate();
    expect((await renderer.inspect(starter)).placeholders).toContain('INS organisation.name');
    expect((await renderer.fill(starter, sampleData())).subarray(0, 2).toString()).toBe('PK');
  });

  it('refuses a template that unzips past the cap, counting the bytes as they inflate', async () => {
    const renderer = createTemplateRenderer({ ...TEMPLATE_RENDERER_LIMITS, inflatedBytes: 1024 * 1024 });
    const big = await templateDocx(['{{title}}', 'x'.repeat(2 * 1024 * 1024)]);
    const refused = await refusal(renderer.inspect(big));
    expect(refused.status).toBe(415);
    expect(refused.message).toContain('inflates beyond 1 MB');
  });

  it('stops a fill that takes too long, and one that needs too much memory, as 422', async () => {
    const { template, data } = await heavy(300);
    const slow = createTemplateRenderer({ ...TEMPLATE_RENDERER_LIMITS, timeoutMs: 200 });
    const late = await refusal(slow.fill(template, data));
    expect(late.code).toBe('template_refused');
    expect(late.message).toContain('takes longer than 0.2 s to fill');
    const small = createTemplateRenderer({ ...TEMPLATE_RENDERER_LIMITS, memoryMb: 16, timeoutMs: 120_000 });
    const greedy = await refusal(small.fill(template, data));
    expect(greedy.code).toBe('template_refused');
    expect(greedy.message).toContain('needs more than 16 MB of memory');
  });

  it('says the server is busy (503, Retry-After) when the line is full, and fills the others', async () => {
    const renderer = createTemplateRenderer({ ...TEMPLATE_RENDERER_LIMITS, queue: { running: 1, waiting: 0 } });
    const starter = await starterTemplate();
    const first = renderer.inspect(starter);
    const busy = await refusal(renderer.inspect(starter));
    expect(busy.status).toBe(503);
    expect(busy.code).toBe('server_busy');
    expect(busy.extensions.retryAfter).toBeGreaterThan(0);
    expect((await first).placeholders.length).toBeGreaterThan(0);
  });
});
