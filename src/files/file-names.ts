/**
 * A file name fit to store and to send back in Content-Disposition: the last path segment only, no
 * control or bidirectional-override characters, no characters Windows refuses, no leading dots, at most
 * 200 characters (keeping the extension). Never empty.
 */
// Control characters are exactly what this pattern is for.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/g;
const MAX_LENGTH = 200;

export function sanitiseFileName(name: string, fallback = 'file'): string {
  const lastSegment = name.split(/[/\\]/).pop() ?? '';
  let clean = lastSegment.normalize('NFC').replace(UNSAFE, '').replace(/\s+/g, ' ').trim();
  clean = clean.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (clean.length > MAX_LENGTH) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = clean.slice(0, MAX_LENGTH - ext.length) + ext;
  }
  return clean === '' ? fallback : clean;
}

/** Content-Disposition for a download: an ASCII fallback and the exact name (RFC 6266 / 5987). */
export function attachmentHeader(name: string): string {
  return dispositionHeader('attachment', name);
}

/** Content-Disposition for a file shown in the page (a saved copy keeps its name). */
export function inlineHeader(name: string): string {
  return dispositionHeader('inline', name);
}

function dispositionHeader(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
