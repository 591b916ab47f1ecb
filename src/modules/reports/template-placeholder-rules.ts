/**
 * The rules an uploaded template's placeholders must keep. docx-templates runs every command as
 * JavaScript, so a template from a user is only ever filled after these checks: a command is one of
 * INS (also written `{{path}}` or `{{= path}}`), FOR … IN, END-FOR, IF and END-IF, its argument is a
 * plain dotted path (no calls, operators, brackets or quotes: nothing that can run code), and every
 * path names a field of the template data (template-data.ts) or of an enclosing loop's item.
 * Pure: given the commands docx-templates lists, says what is wrong, naming the placeholder.
 */
import { TEMPLATE_ROOT, type FieldShape } from './template-data.js';

export const TEMPLATE_DELIMITERS: [string, string] = ['{{', '}}'];

/** One command as docx-templates' listCommands gives it (the shorthands already expanded). */
export interface TemplateCommand {
  raw: string;
  type: string;
  code: string;
}

export interface CommandCheck {
  /** Each command once, in the order first met, e.g. "INS organisation.name", "FOR k IN kloes". */
  placeholders: string[];
  /** Empty when the template may be used. */
  problems: string[];
}

const ALLOWED = ['INS', 'FOR', 'END-FOR', 'IF', 'END-IF'];
/**
 * FOR loops inside one another, at most. The data nests lists two deep (a key question's KLOEs, a KLOE's
 * evidence); each further loop multiplies the document (four loops over the KLOEs write 15^4 copies).
 */
export const MAX_LOOP_DEPTH = 3;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A plain dotted path: the only thing a command may evaluate. */
export const TEMPLATE_PATH = /^\$?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const FOR_ARGS = /^(\S+)\s+IN\s+(.+)$/i;

type Scope = { kind: 'FOR'; name: string; item: FieldShape } | { kind: 'IF'; condition: string };

const describe = (shape: FieldShape) =>
  typeof shape === 'string' ? shape : 'list' in shape ? 'a list' : 'a group of fields';

/** The shape a path names, or why it names none. */
function resolve(path: string, scopes: Scope[]): { shape: FieldShape } | { problem: string } {
  const [first, ...rest] = path.split('.') as [string, ...string[]];
  let shape: FieldShape | undefined;
  if (first.startsWith('$')) {
    const loop = scopes.findLast((s) => s.kind === 'FOR' && s.name === first.slice(1));
    if (loop?.kind !== 'FOR') {
      return {
        problem: `Unknown placeholder "${path}" in the template: ${first} is not the item of an enclosing FOR loop`,
      };
    }
    shape = loop.item;
  } else {
    shape = fieldOf(TEMPLATE_ROOT, first);
  }
  for (const key of rest) shape = shape && fieldOf(shape, key);
  return shape ? { shape } : { problem: `Unknown placeholder "${path}" in the template` };
}

/** A group's field by name, or a list's length. */
function fieldOf(shape: FieldShape, key: string): FieldShape | undefined {
  if (typeof shape === 'string') return undefined;
  if ('list' in shape) return key === 'length' ? 'number' : undefined;
  return Object.hasOwn(shape.fields, key) ? shape.fields[key] : undefined;
}

const notAPath = (raw: string) =>
  `Placeholder "{{${raw}}}" is not allowed: a placeholder is a field name such as organisation.name or $k.ref, with no other characters (is a closing }} missing?)`;

export function checkTemplateCommands(commands: readonly TemplateCommand[]): CommandCheck {
  const placeholders: string[] = [];
  const problems: string[] = [];
  const scopes: Scope[] = [];
  const problem = (text: string) => {
    if (!problems.includes(text)) problems.push(text);
  };
  /** The shape at a path, or undefined after saying what is wrong. */
  const fieldAt = (path: string, raw: string): FieldShape | undefined => {
    if (!TEMPLATE_PATH.test(path)) return void problem(notAPath(raw));
    const found = resolve(path, scopes);
    return 'problem' in found ? void problem(found.problem) : found.shape;
  };

  for (const { raw: normalised, type, code } of commands) {
    if (!placeholders.includes(normalised)) placeholders.push(normalised);
    // An inserted field is written {{organisation.name}}; docx-templates lists it as "INS organisation.name".
    const raw = type === 'INS' ? code : normalised;
    if (!ALLOWED.includes(type)) {
      problem(
        `Placeholder "{{${raw}}}" is not allowed: kloe templates use only field names, FOR … IN … / END-FOR and IF / END-IF (not ${type})`,
      );
      continue;
    }
    switch (type) {
      case 'INS': {
        if (code === '') {
          problem('Empty placeholder "{{}}" in the template');
          break;
        }
        const shape = fieldAt(code, raw);
        if (shape && typeof shape !== 'string') {
          problem(
            `Placeholder "{{${code}}}" is ${describe(shape)}, not text: ${'list' in shape ? `go through it with {{FOR item IN ${code}}} … {{END-FOR item}}` : 'name one of its fields'}`,
          );
        }
        break;
      }
      case 'FOR': {
        const match = FOR_ARGS.exec(code);
        if (!match || !NAME.test(match[1]!)) {
          problem(`Placeholder "{{${raw}}}" is not a loop: write {{FOR item IN a.list}} … {{END-FOR item}}`);
          scopes.push({ kind: 'FOR', name: match?.[1] ?? '', item: 'text' });
          break;
        }
        const [, name, path] = match as unknown as [string, string, string];
        if (scopes.filter((s) => s.kind === 'FOR').length >= MAX_LOOP_DEPTH) {
          problem(
            `Placeholder "{{${raw}}}" is a loop inside ${MAX_LOOP_DEPTH} others: loops may be nested at most ${MAX_LOOP_DEPTH} deep`,
          );
        }
        if (scopes.some((s) => s.kind === 'FOR' && s.name === name)) {
          problem(`Placeholder "{{${raw}}}" reuses the name ${name} of an enclosing loop: choose another name`);
        }
        const shape = fieldAt(path.trim(), raw);
        if (shape && (typeof shape === 'string' || !('list' in shape))) {
          problem(`Placeholder "{{${raw}}}" goes through ${path.trim()}, which is ${describe(shape)}, not a list`);
        }
        scopes.push({
          kind: 'FOR',
          name,
          item: shape && typeof shape !== 'string' && 'list' in shape ? shape.list : 'text',
        });
        break;
      }
      case 'END-FOR': {
        const top = scopes.at(-1);
        if (top?.kind === 'FOR' && top.name === code) scopes.pop();
        else problem(`Placeholder "{{${raw}}}" has no matching {{FOR ${code} IN …}} open at that point`);
        break;
      }
      case 'IF':
        fieldAt(code, raw);
        scopes.push({ kind: 'IF', condition: code });
        break;
      case 'END-IF': {
        if (scopes.at(-1)?.kind === 'IF') scopes.pop();
        else problem(`Placeholder "{{${raw}}}" has no matching {{IF …}} open at that point`);
        break;
      }
    }
  }
  for (const open of scopes.reverse()) {
    problem(
      open.kind === 'FOR'
        ? `Placeholder "{{FOR ${open.name} IN …}}" is never closed: add {{END-FOR ${open.name}}}`
        : `Placeholder "{{IF ${open.condition}}}" is never closed: add {{END-IF}}`,
    );
  }
  if (commands.length === 0) {
    problem('The template has no placeholders: write them between {{ and }}, for example {{organisation.name}}');
  }
  return { placeholders, problems };
}
