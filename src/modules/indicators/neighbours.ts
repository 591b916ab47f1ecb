/**
 * Nearest neighbours, the method behind CIPFA's nearest-neighbour groups: standardise each contextual
 * attribute (z-score over the organisations that have every attribute), measure Euclidean distance,
 * keep the closest N. Organisations lacking an attribute cannot be placed and are left out.
 */
import { NAMED_ATTRIBUTES } from '../organisations/index.js';
export interface Candidate {
  id: string;
  code: string;
  attributes: Record<string, number>;
}

export interface Neighbour {
  id: string;
  code: string;
  distance: number;
}

export function nearestNeighbours(
  candidates: readonly Candidate[],
  anchorId: string,
  attributeKeys: readonly string[],
  size: number,
): Neighbour[] {
  const complete = candidates.filter((c) => attributeKeys.every((k) => Number.isFinite(c.attributes[k])));
  const anchor = complete.find((c) => c.id === anchorId);
  if (!anchor || attributeKeys.length === 0) return [];
  const scales = attributeKeys.map((key) => {
    const values = complete.map((c) => c.attributes[key]!);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    return { key, mean, sd };
  });
  // An attribute every organisation shares (sd 0) cannot tell them apart: it adds nothing to distances.
  const z = (c: Candidate, s: (typeof scales)[number]) => (s.sd === 0 ? 0 : (c.attributes[s.key]! - s.mean) / s.sd);
  return complete
    .filter((c) => c.id !== anchorId)
    .map((c) => ({
      id: c.id,
      code: c.code,
      distance: Math.sqrt(scales.reduce((sum, s) => sum + (z(c, s) - z(anchor, s)) ** 2, 0)),
    }))
    .sort((a, b) => a.distance - b.distance || a.code.localeCompare(b.code))
    .slice(0, size);
}

/**
 * An organisation's nearest neighbours among providers of its own type, on the named attributes it has:
 * how the default comparator group and a stored "nearest" group are both made.
 */
export function neighboursOfSameType(
  contexts: readonly (Candidate & { type: string })[],
  anchorId: string,
  size: number,
): { keys: string[]; neighbours: Neighbour[] } {
  const anchor = contexts.find((c) => c.id === anchorId);
  if (!anchor) return { keys: [], neighbours: [] };
  const keys = NAMED_ATTRIBUTES.map((a) => a.key).filter((k) => anchor.attributes[k] !== undefined);
  const sameType = contexts.filter((c) => c.type === anchor.type);
  return { keys, neighbours: nearestNeighbours(sameType, anchorId, keys, size) };
}
