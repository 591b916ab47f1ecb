/**
 * Finds the broken links of a folder's Markdown documents: a relative link (or image) to a file that is
 * not there, a link that leaves the folder (it breaks for anyone reading the repository elsewhere), and
 * an `#anchor` that no heading of the target document makes under GitHub's slug rules. Links with a
 * scheme (https:, mailto:) are left alone: they point outside the repository.
 */
import fs from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import MarkdownIt, { type Token } from 'markdown-it';

export interface BrokenLink {
  /** The document holding the link, relative to the root. */
  file: string;
  line: number;
  target: string;
  reason: string;
}

const markdown = new MarkdownIt();
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Checks every link in `files` (paths relative to `root`). */
export function findBrokenLinks(root: string, files: readonly string[]): BrokenLink[] {
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (absolute: string): Set<string> => {
    let found = anchorsOf.get(absolute);
    if (!found) {
      found = headingAnchors(markdown.parse(fs.readFileSync(absolute, 'utf8'), {}));
      anchorsOf.set(absolute, found);
    }
    return found;
  };

  const broken: BrokenLink[] = [];
  for (const file of files) {
    const source = path.join(root, file);
    for (const { target, line } of links(markdown.parse(fs.readFileSync(source, 'utf8'), {}))) {
      const reason = checkLink(root, source, target, anchors);
      if (reason) broken.push({ file, line, target, reason });
    }
  }
  return broken;
}

/** Why a link is broken, or undefined when it is fine. */
function checkLink(
  root: string,
  source: string,
  target: string,
  anchors: (absolute: string) => Set<string>,
): string | undefined {
  if (SCHEME.test(target) || target.startsWith('//')) return undefined;
  if (target.startsWith('/')) return 'absolute path: link relative to the document instead';
  const hash = target.indexOf('#');
  const filePart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const resolved = filePart === '' ? source : path.resolve(path.dirname(source), filePart);
  const fromRoot = path.relative(root, resolved);
  if (fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) return 'outside the repository';
  if (!fs.existsSync(resolved)) return 'no such file';
  if (anchor === undefined) return undefined;
  if (!resolved.endsWith('.md')) return 'an #anchor on a file that is not Markdown';
  return anchors(resolved).has(anchor) ? undefined : `no heading makes #${anchor}`;
}

/** Every link and image target, with its line (1-based): that of the nearest block that knows its line. */
function links(tokens: readonly Token[]): { target: string; line: number }[] {
  const found: { target: string; line: number }[] = [];
  let line = 1;
  for (const block of tokens) {
    if (block.map) line = block.map[0] + 1; // a table cell's text has no line of its own, its row has
    for (const token of block.children ?? []) {
      const target =
        token.type === 'link_open' ? token.attrGet('href') : token.type === 'image' ? token.attrGet('src') : null;
      if (target !== null) found.push({ target: String(target), line });
    }
  }
  return found;
}

/** The anchors GitHub gives a document's headings: the slug of each heading's text, numbered when repeated. */
function headingAnchors(tokens: readonly Token[]): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  tokens.forEach((token, index) => {
    if (token.type !== 'heading_open') return;
    const text = (tokens[index + 1]?.children ?? [])
      .filter((child) => child.type === 'text' || child.type === 'code_inline')
      .map((child) => child.content)
      .join('');
    anchors.add(slugger.slug(text));
  });
  return anchors;
}
