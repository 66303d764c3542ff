// Errors the trainer raises on what a reader or a user gave it: a config file or the training
// lab's fields, a tokenizer file, a text, post-training settings, a reward. Each has a code and
// parameters (../engine/error-text.ts): `npm run train` prints the English message, the page
// shows the code's message in the reader's language. Failures of the trainer's own invariants
// (a wrong buffer size, an internal kernel) stay plain `Error`s.
import { LlamaInputError } from '../engine/errors.ts';

export class TrainError extends LlamaInputError {}
