// The chapter's post-training data, also the CLI's defaults: prompts for sampling (speaker
// headings and openings of the kind the corpus has) and a small set of prompt/response pairs
// for supervised fine-tuning in a question/answer format the base model has never seen.

export const PROMPTS: readonly string[] = [
  'ROMEO:\n',
  'JULIET:\n',
  'KING RICHARD III:\n',
  'MENENIUS:\n',
  'First Citizen:\n',
  'DUKE VINCENTIO:\n',
  'QUEEN MARGARET:\n',
  'PETRUCHIO:\n',
];

export interface SftPair {
  prompt: string;
  response: string;
}

export const SFT_PAIRS: readonly SftPair[] = [
  { prompt: 'Q: Who loves Juliet?\nA:', response: ' Romeo, the son of Montague.\n' },
  { prompt: 'Q: Where is Verona?\nA:', response: ' In fair Italy, my lord.\n' },
  { prompt: 'Q: What is the hour?\nA:', response: ' It is the hour of night, my lord.\n' },
  { prompt: 'Q: Who is the king?\nA:', response: ' King Richard is the king, my lord.\n' },
  { prompt: 'Q: What would you have?\nA:', response: ' I would have peace, my lord.\n' },
  { prompt: 'Q: Where is the duke?\nA:', response: ' The duke is in the city, my lord.\n' },
  { prompt: 'Q: What is your name?\nA:', response: ' My name is Romeo, my lord.\n' },
  { prompt: 'Q: Who comes here?\nA:', response: ' A messenger from the king, my lord.\n' },
];

/** Held out from SFT_PAIRS: the before/after comparison asks these. */
export const SFT_HELD_OUT: readonly string[] = [
  'Q: Who is the queen?\nA:',
  'Q: Where is Romeo?\nA:',
];
