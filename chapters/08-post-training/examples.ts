// Example texts for the reward table: the kind of thing the tiny model writes, written by hand.
export const EXAMPLES: readonly string[] = [
  'ROMEO:\nBut soft, what light through yonder window breaks?\nIt is the east, and the sun is bright.',
  'JULIET:\nO love, my love, my only love,\nthe stars above.',
  'First Citizen:\nWe are accounted poor citizens, the patricians good. What authority surfeits on would relieve us.',
  'MENENIUS:\nWhat is the matter?\nWhat, what, what?',
];
