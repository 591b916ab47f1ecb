/**
 * Zod fields shared by the API's JSON bodies and the forms, where the two must agree on the value but
 * not on how it arrives: JSON sends numbers and forms send strings. And names and titles, which must not
 * carry characters that change how the text around them is displayed.
 */
import { z } from 'zod';

/**
 * A whole number of 1 or more: a JSON number, or the digits a form posts. Nothing else: z.coerce.number
 * also took `true` as 1 and `null` or `[]` as 0.
 */
export const wholeNumber = (message: string) =>
  z.union(
    [
      z.number().int().positive(),
      z
        .string()
        .trim()
        .regex(/^[1-9]\d*$/)
        .transform(Number),
    ],
    { error: message },
  );

/**
 * Unicode's bidirectional controls (embeddings, overrides, isolates and the invisible marks). In a name
 * or a title they only serve to spoof: "\u202eTIT\u202c evil" displays reversed.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export const withoutBidiControls = (text: string): string => text.replace(BIDI_CONTROLS, '');

/** A name or title as people type it: bidirectional controls removed, then trimmed. */
export const nameText = (params?: Parameters<typeof z.string>[0]) =>
  z.string(params).overwrite(withoutBidiControls).trim();
