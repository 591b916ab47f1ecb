/**
 * Whether KLOE_SECRET is hard enough to guess to sign session cookies with. Length alone is not: 39 × "a" or
 * a phrase repeated three times is long and guessed at once. zxcvbn-ts estimates the guesses an attacker needs,
 * recognising repeats, sequences, keyboard runs and common words; a secret made as the docs say
 * (`openssl rand -base64 32`) scores above 10^30, 32 random hex characters above 10^25.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/** About 66 bits: far beyond anything patterned, and below any secret made by a random generator. */
export const MIN_SECRET_GUESSES_LOG10 = 20;

let estimator: ZxcvbnFactory | undefined;

export function secretIsGuessable(secret: string): boolean {
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return estimator.check(secret).guessesLog10 < MIN_SECRET_GUESSES_LOG10;
}
