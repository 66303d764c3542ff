// The reader-facing errors of the engine, each a code with parameters and its English text. The
// engine stays independent of the page: it builds its English message from this table (the CLI
// prints it), and carries `code` and `params` on the error (across the worker boundary too), so
// the page shows `m.err_<code>(params)` in the reader's language. messages/en.json holds the same
// English text for every code and messages/zh-TW.json its translation
// (tests/unit/i18n/error-codes.test.ts checks both, with the same parameters).

export const ERROR_TEXT = {
  // checkpoint header and size (src/engine/checkpoint.ts)
  ckpt_truncated_header:
    'checkpoint is truncated: expected at least {need} bytes of header, got {got}',
  ckpt_truncated_export_header:
    'checkpoint is truncated: expected at least {need} bytes of export.py header, got {got}',
  ckpt_quantized:
    'checkpoint is export.py version 2 (int8 Q8_0 quantized), which is not supported: export it as version 1 (fp32) or the legacy version 0',
  ckpt_unknown_version:
    'checkpoint has the export.py magic but an unknown version {version} (supported: 1, and the legacy headerless version 0)',
  ckpt_shared_flag: "checkpoint header's shared_classifier flag must be 0 or 1, got {flag}",
  ckpt_vocab_not_positive:
    "checkpoint header's vocab_size must be positive in an export.py file, got {got}",
  ckpt_foreign: 'not a llama2.c checkpoint: the file looks like {what} (wrong magic)',
  ckpt_bad_magic:
    'not a llama2.c checkpoint (wrong magic?): it lacks the export.py magic 0x616b3432, and read as a legacy header its dim would be {dim}, above the limit {limit}',
  ckpt_field_not_positive: "checkpoint header's {field} must be positive, got {got}",
  ckpt_field_too_large:
    "checkpoint header's {field} {got} is absurdly large (limit {limit}): the file is corrupt or not a llama2.c checkpoint",
  ckpt_heads_divide_dim: "checkpoint header's n_heads ({heads}) does not divide dim ({dim})",
  ckpt_odd_head_size:
    "checkpoint's head size dim/n_heads = {dim}/{heads} = {size} is odd: RoPE rotates pairs, so it must be even",
  ckpt_kv_heads_divide_heads:
    "checkpoint header's n_kv_heads ({kvHeads}) does not divide n_heads ({heads})",
  ckpt_seq_len_too_large:
    "checkpoint's seq_len {seqLen} is absurdly large: its KV cache would need {gib} GiB (limit {limit} GiB)",
  ckpt_non_finite:
    'checkpoint tensor {tensor} holds a non-finite value ({value}) at index {index}: the file is corrupt',
  ckpt_short:
    'checkpoint is truncated: expected {expected} bytes for a version {version} file with {shape}, got {got}',
  ckpt_long:
    'checkpoint is oversized: expected {expected} bytes for a version {version} file with {shape}, got {got} ({trailing} trailing bytes)',
  // the JSON sidecar (src/engine/config.ts)
  sidecar_not_object: 'sidecar must be a JSON object, got {got}',
  sidecar_unknown_field: 'sidecar has an unknown field "{field}" (known fields: {known})',
  sidecar_bad_number:
    'sidecar field "{field}" must be a positive finite number at most {max}, got {got}',
  sidecar_bad_choice: 'sidecar field "{field}" must be one of {allowed}, got {got}',
  sidecar_rope_base: 'sidecar field "rope_base" must be greater than 1, got {got}',
  // tokenizer.bin (src/engine/tokenizer.ts)
  tok_vocab_size: 'tokenizer: vocab size must be a positive integer at most {limit}, got {got}',
  tok_truncated_header:
    'tokenizer is truncated: expected at least 4 bytes for max_token_length, got {got}',
  tok_negative_max_length: "tokenizer's max_token_length must not be negative, got {got}",
  tok_too_few_pieces:
    "tokenizer holds only {pieces} pieces, but the model's vocab_size is {vocab} (tokenizer and model do not match)",
  tok_truncated_entry:
    'tokenizer is truncated inside entry {id}: expected 8 bytes of score and length at byte {at}, got {got}',
  tok_negative_length: 'tokenizer entry {id} has a negative length {length}: the file is corrupt',
  tok_truncated_piece:
    'tokenizer is truncated inside entry {id}: its length says {length} bytes, only {left} remain',
  tok_no_space_piece:
    'tokenizer has no " " piece, which run.c needs as the dummy prefix of every text',
  tok_id_out_of_range: 'token id {id} is out of range for a vocab of {vocab}',
  // a reader's formula (src/engine/formula/expression.ts, src/lib/formula/compile.ts); the
  // sentences that end in HELP list what may be used: {vars} and {functions}
  formula_empty:
    'The formula is empty. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_too_long: 'The formula is {length} characters long; the limit is {limit}.',
  formula_quotes:
    'Quotes and strings are not allowed. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_brackets:
    'Square brackets (matrices, indexing) are not allowed. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_braces:
    'Braces (objects) are not allowed. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_comparison:
    'Assignments, definitions and comparisons (=, <, >, !) are not allowed: type only the right-hand side, e.g. {example}.',
  formula_several: 'Type a single expression (no ; or new lines).',
  formula_property:
    'Property access (a dot before a name) is not allowed. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_character:
    'The character {char} is not allowed. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_too_deep: 'The formula is nested too deeply (more than {depth} levels).',
  formula_constant: 'Only numbers are allowed as constants, not {value}.',
  formula_number_too_large: 'A number in the formula is too large.',
  formula_function_name: '{name} is a function: call it, e.g. {call}(x).',
  formula_unknown_name_one:
    'Unknown name {name}: the only variable is {variable}, the constants are pi and e. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_unknown_name_many:
    'Unknown name {name}: the variables are {vars}, the constants are pi and e. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_operator:
    'The operator {op} is not allowed. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_call_only_functions:
    'Only the listed functions can be called. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_implicit_call: '{name}(…) reads as calling {name}: write {name} * (…) to multiply.',
  formula_function:
    'The function {name} is not allowed. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_arity_one: '{name} takes 1 argument, not {got}.',
  formula_arity_exact: '{name} takes {want} arguments, not {got}.',
  formula_arity_range: '{name} takes {min} to {max} arguments, not {got}.',
  formula_assignment:
    'Assignments and definitions are not allowed: type only an expression of {vars}.',
  formula_accessor:
    'Property access and indexing are not allowed. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_matrix:
    'Matrices and objects are not allowed. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_node:
    'This kind of expression ({kind}) is not allowed. Use {vars}, numbers, + − * / ^, parentheses, pi, e and the functions {functions}.',
  formula_not_text: 'The formula must be text.',
  formula_unreadable: 'The formula could not be read: {why}.',
  formula_not_finite:
    'The formula is not a finite number at x = {x} (it gives {y}); an activation must be finite for every input between −20 and 20.',
} as const;

export type ErrorCode = keyof typeof ERROR_TEXT;

/** Parameters of a coded error: numbers and strings (file-format words, the reader's text). */
export type ErrorParams = Readonly<Record<string, string | number>>;

/** Put the parameters into a text: `{name}` becomes params.name. */
export function fillText(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_TEXT, code);
}

/** The code and parameters of an error (also one rebuilt from a worker's message), if it has one. */
export function codedError(err: unknown): { code: ErrorCode; params: ErrorParams } | null {
  if (typeof err !== 'object' || err === null) return null;
  const { code, params } = err as { code?: unknown; params?: unknown };
  if (!isErrorCode(code)) return null;
  return {
    code,
    params: typeof params === 'object' && params !== null ? (params as ErrorParams) : {},
  };
}
