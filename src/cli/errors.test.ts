import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { reportCliError } from './errors.js';

function report(error: unknown) {
  const lines: string[] = [];
  const code = reportCliError(error, (line) => lines.push(line));
  return { code, output: lines.join('') };
}

describe('reportCliError', () => {
  it('prints what is wrong after a title that only says where to look, on one line', () => {
    const error = new AppError('invalid_assessment', 400, 'Check the framework', [
      { field: 'frameworkId', message: 'No framework audit-commission-j2' },
    ]);
    expect(report(error)).toEqual({ code: 1, output: 'kloe: Check the framework: No framework audit-commission-j2\n' });
  });

  it('prints each field’s message when there are several', () => {
    const error = new AppError('invalid_assessment', 400, 'Check the scope', [
      { field: 'scope.0', message: 'Not in this framework: 9' },
      { field: 'scope.1', message: 'Not in this framework: 10' },
    ]);
    expect(report(error).output).toBe('kloe: Check the scope: Not in this framework: 9; Not in this framework: 10\n');
  });

  it('keeps a message that already says the first problem, with the others on their own lines', () => {
    const error = new AppError('invalid_file', 400, 'Not a valid framework: kloes.0.ref: is required', [
      { field: 'kloes.0.ref', message: 'is required' },
      { field: 'kloes.1.ref', message: 'is required' },
    ]);
    expect(report(error).output).toBe(
      'kloe: Not a valid framework: kloes.0.ref: is required\n  kloes.1.ref: is required\n',
    );
  });
});
