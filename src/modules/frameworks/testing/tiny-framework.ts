import { FRAMEWORK_FORMAT, type FrameworkDocument } from '../framework.model.js';

/**
 * A small framework for tests: key question 1 with KLOE 1.1 and group 1.2 holding KLOE 1.2.1, two levels
 * with descriptors (good, weak) and one without (poor), a lead-in and a statement with a sub-item.
 */
export function tinyFramework(): FrameworkDocument {
  return {
    format: FRAMEWORK_FORMAT,
    id: 'tiny',
    title: 'Tiny',
    ratingScale: [
      { id: 'good', label: 'Good', code: 'G', description: 'Good.', hasDescriptor: true },
      { id: 'weak', label: 'Weak', code: 'W', description: 'Weak.', hasDescriptor: true },
      { id: 'poor', label: 'Poor', code: 'P', description: 'Poor.', hasDescriptor: false },
    ],
    keyQuestions: [
      {
        ref: '1',
        title: 'One',
        children: [
          {
            kind: 'kloe',
            ref: '1.1',
            question: 'Is it good?',
            descriptors: [
              {
                level: 'good',
                leadIn: 'The service:',
                statements: [
                  { ref: '1.1-G1', text: 'has plans which work.' },
                  { ref: '1.1-G2', text: 'learns from:', items: [{ ref: '1.1-G2.1', text: 'feedback' }] },
                ],
              },
              { level: 'weak', statements: [{ ref: '1.1-W1', text: 'has few plans.' }] },
            ],
          },
          {
            kind: 'group',
            ref: '1.2',
            question: 'Group?',
            kloes: [
              {
                kind: 'kloe',
                ref: '1.2.1',
                question: 'Is it led?',
                descriptors: [{ level: 'good', statements: [{ ref: '1.2.1-G1', text: 'has leaders.' }] }],
              },
            ],
          },
        ],
      },
    ],
  };
}
