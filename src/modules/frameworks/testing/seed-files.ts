/** The two extractions of the Judgement 2 PDF, kept in the repository so the built-in catalogue is reproducible. */
import path from 'node:path';
import { builtinFrameworksFolder } from '../../../paths.js';

const sources = path.join(builtinFrameworksFolder, 'sources');
/** 000: plain-text cells; lacks 5.1.1's promising descriptor. */
export const SEED_PLAIN = path.join(sources, 'audit-commission-j2.000-plain.txt');
/** 004: HTML-list cells; complete. The built-in catalogue is generated from it. */
export const SEED_HTML = path.join(sources, 'audit-commission-j2.004-html.txt');
