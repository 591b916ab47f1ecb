/** Evidence as the JSON API shows it. */
import type * as repo from './evidence.repository.js';
import { MARK_END, MARK_START, type SearchResult } from './evidence-search.js';

export const downloadPath = (assessmentId: string, itemId: string, fileId: string) =>
  `/assessments/${assessmentId}/evidence/${itemId}/files/${fileId}`;

export const itemToJson = (item: repo.Item) => ({
  id: item.id,
  assessmentId: item.assessmentId,
  title: item.title,
  kind: item.kind,
  source: item.source,
  evidenceDate: item.evidenceDate,
  notes: item.notes,
  createdAt: item.createdAt.toISOString(),
});

export const fileToJson = (
  assessmentId: string,
  itemId: string,
  file: Awaited<ReturnType<typeof repo.filesOf>>[number],
) => ({
  id: file.id,
  name: file.fileName,
  sha256: file.sha256,
  size: file.size,
  mediaType: file.mediaType,
  extraction: file.extractionStatus,
  extractionError: file.extractionError,
  download: `/api${downloadPath(assessmentId, itemId, file.id)}`,
});

export const linkToJson = (link: repo.LinkRow) => ({
  id: link.id,
  kloeRef: link.kloeRef,
  statementRef: link.statementRef,
  stance: link.stance,
  quote: link.quote,
  page: link.page,
});

/** A snippet's text without its marks: the passage to find in the file. */
export const unmarkedSnippet = (snippet: string) => snippet.replaceAll(MARK_START, '').replaceAll(MARK_END, '');
/** The snippet in plain text, matches between « and ». */
export const plainSnippet = (snippet: string) => snippet.replaceAll(MARK_START, '«').replaceAll(MARK_END, '»');

/** A search as the API and `kloe evidence search --json` give it: snippets in plain text. */
export const searchToJson = ({ hits, matches, capped }: SearchResult) => ({
  results: hits.map((h) => ({ ...h, snippet: plainSnippet(h.snippet) })),
  matches,
  capped,
});

/** What a capped search tells the person, on the page and in the CLI alike. */
export const cappedNote = (matches: number) =>
  `More than ${matches.toLocaleString('en-GB')} items match: these are the best among the newest ` +
  `${matches.toLocaleString('en-GB')}. Add words or filters to narrow the search.`;

/** The snippet as HTML: the text escaped, then the matches marked. */
export function snippetHtml(snippet: string): string {
  const escaped = snippet.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
  return escaped.replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}
