import { describe, expect, it } from 'vitest';
import { saveKloeBody } from './assessments.schemas.js';
import {
  formValues,
  kloeBodyFromForm,
  kloeConflictRecord,
  kloeFieldOf,
  kloeFormValues,
  rollUpBodyFromForm,
  rollUpFormValues,
} from './workspace.forms.js';

const REFS = ['5.2.4-P1', '5.2.4-P7', '5.2.4-U1'];

describe('the KLOE form', () => {
  it('turns the posted fields into a save body', () => {
    const { body, findingRefs } = kloeBodyFromForm(
      {
        version: '3',
        'finding-5.2.4-P1': 'met',
        'note-5.2.4-P1': '  Seen in the plan  ',
        'finding-5.2.4-P7': 'partly_met',
        'note-5.2.4-P7': '',
        strengths: 'Clear plans\r\n\r\n  Engaged staff  \n',
        areasForImprovement: 'Slow repairs',
        exceeded: 'yes',
        finalRating: 'promising',
        rationale: '',
        reason: 'After the site visit',
        then: 'next',
      },
      REFS,
    );
    expect(findingRefs).toEqual(['5.2.4-P1', '5.2.4-P7']); // 5.2.4-U1 was not posted: left as it was
    const parsed = saveKloeBody.parse(body);
    expect(parsed).toEqual({
      version: 3,
      findings: [
        { statementRef: '5.2.4-P1', outcome: 'met', note: 'Seen in the plan' },
        { statementRef: '5.2.4-P7', outcome: 'partly_met', note: null },
      ],
      strengths: ['Clear plans', 'Engaged staff'],
      areasForImprovement: ['Slow repairs'],
      exceeded: true,
      finalRating: 'promising',
      rationale: null,
      reason: 'After the site visit',
    });
  });

  it('reads an unticked checkbox as not exceeded and no rating chosen as none', () => {
    const parsed = saveKloeBody.parse(kloeBodyFromForm({ version: '1' }, REFS).body);
    expect(parsed).toMatchObject({ exceeded: false, finalRating: null, findings: [], strengths: [] });
  });

  it('names the form field of each problem', () => {
    const { body, findingRefs } = kloeBodyFromForm(
      { version: '', 'finding-5.2.4-P1': 'met', 'finding-5.2.4-U1': 'maybe' },
      REFS,
    );
    const result = saveKloeBody.safeParse(body);
    expect(result.success).toBe(false);
    const fields = result.error!.issues.map((issue) => kloeFieldOf(issue.path.join('.'), findingRefs));
    expect(fields).toEqual(expect.arrayContaining(['version', 'finding-5.2.4-U1']));
    expect(kloeFieldOf('findings.0.note', findingRefs)).toBe('note-5.2.4-P1');
    expect(kloeFieldOf('findings.0.statementRef', findingRefs)).toBe('finding-5.2.4-P1');
    expect(kloeFieldOf('strengths.4', findingRefs)).toBe('strengths');
    expect(kloeFieldOf('rationale', findingRefs)).toBe('rationale');
  });

  it('puts a saved KLOE back into the fields, every statement with an outcome', () => {
    const values = kloeFormValues(
      {
        version: 4,
        strengths: ['One', 'Two'],
        areasForImprovement: [],
        exceeded: true,
        finalRating: null,
        rationale: null,
      },
      [{ statementRef: '5.2.4-P7', outcome: 'not_met', note: 'No learning from complaints' }],
      REFS,
    );
    expect(values).toEqual({
      version: '4',
      strengths: 'One\nTwo',
      areasForImprovement: '',
      exceeded: 'yes',
      finalRating: '',
      rationale: '',
      reason: '',
      'finding-5.2.4-P1': 'not_judged',
      'note-5.2.4-P1': '',
      'finding-5.2.4-P7': 'not_met',
      'note-5.2.4-P7': 'No learning from complaints',
      'finding-5.2.4-U1': 'not_judged',
      'note-5.2.4-U1': '',
    });
    // …and round-trips.
    expect(saveKloeBody.parse(kloeBodyFromForm(values, REFS).body).strengths).toEqual(['One', 'Two']);
  });

  it('takes the first of a repeated field and ignores what is not text', () => {
    expect(formValues({ a: ['x', 'y'], b: 'z', c: 3 })).toEqual({ a: 'x', b: 'z' });
    expect(formValues(undefined)).toEqual({});
  });

  it('reads the record of a conflict defensively', () => {
    expect(
      kloeConflictRecord({ findings: { '4.1-P1': { outcome: 'met', note: null } }, finalRating: 'uncertain' }),
    ).toEqual({
      findings: [{ ref: '4.1-P1', outcome: 'met', note: null }],
      strengths: [],
      areasForImprovement: [],
      exceeded: false,
      finalRating: 'uncertain',
      rationale: null,
    });
  });
});

describe('the roll-up form', () => {
  it('turns the fields into a body and back', () => {
    expect(rollUpBodyFromForm({ version: '2', finalRating: 'poor', rationale: 'x' })).toEqual({
      version: '2',
      finalRating: 'poor',
      rationale: 'x',
    });
    expect(rollUpFormValues({ version: 2, finalRating: null, rationale: null })).toEqual({
      version: '2',
      finalRating: '',
      rationale: '',
    });
  });
});
