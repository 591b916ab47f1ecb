/** The 15 KLOEs of the built-in framework (Judgement 2), in framework order: for tests that walk all of them. */
export const J2_KLOE_REFS: readonly string[] = [
  '4.1',
  '4.2',
  '4.3',
  '4.4',
  '5.1.1',
  '5.1.2',
  '5.1.3',
  '5.2.1',
  '5.2.2',
  '5.2.3',
  '5.2.4',
  '6.1',
  '6.2',
  '6.3',
  '6.4',
];
