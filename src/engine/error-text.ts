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
  ckpt_foreign_gguf:
    'not a llama2.c checkpoint: the file looks like a GGUF file (llama.cpp) (wrong magic)',
  ckpt_foreign_ggml:
    'not a llama2.c checkpoint: the file looks like a GGML file (llama.cpp) (wrong magic)',
  ckpt_foreign_zip:
    'not a llama2.c checkpoint: the file looks like a zip archive (a PyTorch .pt/.pth file?) (wrong magic)',
  ckpt_foreign_pickle:
    'not a llama2.c checkpoint: the file looks like a Python pickle (a PyTorch file?) (wrong magic)',
  ckpt_foreign_big_endian:
    'not a llama2.c checkpoint: the file looks like an export.py file written big-endian (wrong magic)',
  ckpt_foreign_safetensors:
    'not a llama2.c checkpoint: the file looks like a safetensors file (wrong magic)',
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
  ckpt_short_sidecar_missing:
    'checkpoint is truncated: expected {expected} bytes for a version {version} file with {shape}, got {got} (that size fits ffn "{ffn}": is the sidecar missing?)',
  ckpt_short_sidecar_wrong:
    'checkpoint is truncated: expected {expected} bytes for a version {version} file with {shape}, got {got} (that size fits ffn "{ffn}": is the sidecar wrong?)',
  ckpt_long_sidecar_missing:
    'checkpoint is oversized: expected {expected} bytes for a version {version} file with {shape}, got {got} ({trailing} trailing bytes) (that size fits ffn "{ffn}": is the sidecar missing?)',
  ckpt_long_sidecar_wrong:
    'checkpoint is oversized: expected {expected} bytes for a version {version} file with {shape}, got {got} ({trailing} trailing bytes) (that size fits ffn "{ffn}": is the sidecar wrong?)',
  ckpt_big_endian: 'checkpoints are little-endian and this machine is big-endian',
  // the JSON sidecar (src/engine/config.ts)
  sidecar_not_object: 'sidecar must be a JSON object, got {got}',
  sidecar_array: 'sidecar must be a JSON object, got an array',
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
  tok_id_not_in_vocab: 'token id {id} is not in the vocabulary (0..{last})',
  tok_byte_fallback:
    'cannot encode byte 0x{byte}: byte fallback id {id} is outside the vocab of {vocab}',
  // the reader's settings: knobs and sampler (src/engine/knob-table.ts, knobs.ts, sampler.ts)
  knob_not_object: 'knobs must be an object',
  knob_missing: 'knob "{knob}" is missing',
  knob_unknown: 'unknown knob "{knob}" (known knobs: {known})',
  knob_not_choice: 'knob "{knob}" must be one of {options}, got {got}',
  knob_not_bool: 'knob "{knob}" must be true or false, got {got}',
  knob_number_range: 'knob "{knob}" must be a number from {min} to {max}, got {got}',
  knob_number_above:
    'knob "{knob}" must be a number greater than {min} and at most {max}, got {got}',
  knob_int_range: 'knob "{knob}" must be a whole number from {min} to {max}, got {got}',
  knob_int_above:
    'knob "{knob}" must be a whole number greater than {min} and at most {max}, got {got}',
  knob_kv_groups:
    'knob "kvGroups" must be a whole number dividing the {kvHeads} K/V heads (one of {choices}), got {got}',
  sampler_temperature: 'temperature must be a finite number >= 0 (0 = greedy), got {got}',
  sampler_top_k: 'top-k must be a whole number >= 0 (0 = off), got {got}',
  sampler_top_p: 'top-p must be a number in [0, 1] (0 or 1 = off), got {got}',
  sampler_min_p: 'min-p must be a number in [0, 1] (0 = off), got {got}',
  sampler_seed_type: 'seed must be a bigint, got {type}',
  sampler_seed_zero:
    'seed 0 is not allowed: xorshift64* would only produce zeros (run.c replaces it by the time); use a nonzero seed',
  sampler_vocab_size: 'vocab size must be a positive integer, got {got}',
  sampler_logit_count: 'sampler expects {want} logits, got {got}',
  sampler_greedy_no_distribution: 'temperature 0 is greedy: there is no distribution',
  // the model's numbers cannot be sampled (NumericalError)
  num_logit_not_finite:
    'the model produced a non-finite logit ({value}) for token {token}: nothing can be sampled (a knob may have pushed the numbers out of range)',
  num_temperature_overflow:
    'temperature {temperature} is too small for these logits (logit / T overflows float32); use 0 for greedy decoding',
  // a generation's prompt and length (src/engine/generate.ts, generate-samples.ts, session.ts)
  gen_prompt_empty: 'the prompt must hold at least one token (run.c starts with BOS)',
  gen_prompt_token: 'prompt token {index} is {id}, outside the vocab of {vocab}',
  gen_steps: 'steps must be a whole number >= 0, got {got}',
  gen_positions_seq_len:
    "{prompt} prompt tokens + {steps} steps need {need} positions, but the model's seq_len is {seqLen} (at most {most} steps for this prompt)",
  gen_positions_backend:
    '{prompt} prompt tokens + {steps} steps need {need} positions, but the backend holds {max} positions (at most {most} steps for this prompt)',
  gen_sampler_vocab: 'the sampler is for a vocab of {sampler}, the model has {model}',
  gen_prompt_too_long:
    'the prompt is {tokens} tokens long, more than the {max} positions the model holds',
  gen_heldout_empty: 'the held-out text is empty',
  samples_need_paged: 'batched samples need a backend with a paged KV cache',
  samples_count: 'samples must be a whole number from 1 to {max}, got {got}',
  samples_positions:
    '{prompt} prompt tokens + {steps} steps need {need} positions, but the backend holds {max}',
  samples_fit:
    "{prompt} prompt tokens + {steps} steps do not fit in the model's {seqLen} positions (at most {most} steps)",
  // speculative decoding (src/engine/speculative.ts)
  spec_vocab:
    'the draft model has a vocabulary of {draft} tokens, the main model {main}: speculative decoding needs the same tokenizer',
  spec_gamma: 'gamma (draft tokens per round) must be a whole number from 1 to {max}, got {got}',
  spec_positions_main:
    '{prompt} prompt tokens + {steps} steps need {need} positions; the main model holds {max}',
  spec_positions_draft:
    '{prompt} prompt tokens + {steps} steps need {need} positions; the draft model holds {max}',
  // feeding tokens and the KV cache (src/engine/feed-check.ts, cpu/ and webgpu/forward.ts)
  feed_empty: 'no tokens to feed',
  feed_position: 'position must be a whole number >= 0, got {got}',
  feed_skips_empty:
    'position {pos} skips positions never fed: the KV cache holds nothing yet (changing a knob empties it)',
  feed_skips:
    'position {pos} skips positions never fed: the KV cache holds positions 0..{last} (changing a knob empties it)',
  feed_past_cache:
    'position {pos} is past the KV cache, which holds {max} positions (seq_len is {seqLen}); create the backend with a larger maxPositions',
  backend_max_positions: 'maxPositions must be a positive whole number, got {got}',
  backend_max_batch: 'maxBatch must be a positive whole number, got {got}',
  backend_heads:
    'dim {dim} / n_heads {heads} must be an even head size, and n_kv_heads {kvHeads} must divide n_heads',
  backend_no_w3: 'a SwiGLU FFN needs w3 weights, but the model has none',
  backend_kv_too_large:
    'a KV cache for {positions} positions would need {mib} MiB; ask for fewer positions',
  backend_custom_unsupported: 'the {backend} backend cannot run a custom activation formula',
  backend_custom_needs_formula:
    'activation "custom" needs a formula: call setCustomActivation(fn) first',
  backend_custom_clear: 'cannot clear the custom activation while the "custom" knob is on',
  // which engine runs and why (src/engine/select.ts, webgpu/device.ts; ./backend-reason.ts adds
  // "CPU engine: " and the driver's own message after a colon)
  backend_cpu_chosen: 'CPU engine, chosen in the settings',
  gpu_no_api: 'this browser has no WebGPU API (navigator.gpu is missing)',
  gpu_adapter_failed: 'requesting a WebGPU adapter failed',
  gpu_no_adapter: 'WebGPU is present but offers no adapter (no usable GPU, or WebGPU is disabled)',
  gpu_too_large: 'the model needs a {need} MiB GPU buffer, but this GPU allows at most {max} MiB',
  gpu_device_refused: 'the WebGPU adapter refused a device',
  gpu_failed: 'WebGPU failed',
  gpu_custom: 'a custom activation formula runs on the CPU engine only',
  gpu_custom_not_here: 'a custom activation formula runs on the CPU engine only, not on WebGPU',
  // the engine worker's host (src/lib/engine/engine-host.ts, live-model.svelte.ts)
  host_download_checkpoint: 'could not download the checkpoint: {detail}',
  host_download_tokenizer: 'could not download the tokenizer: {detail}',
  host_download_sidecar: 'could not download the model settings: {detail}',
  host_no_builtin: 'there is no built-in model called "{name}" (available: {known})',
  host_no_model: 'no model is loaded yet',
  host_no_draft: 'no draft model is loaded',
  host_custom_no_formula: 'the custom activation has no formula yet: type one in the formula cell',
  host_custom_clear: 'switch the activation away from custom before clearing its formula',
  host_draft_vocab:
    'the draft "{name}" has a vocabulary of {draftVocab} tokens and the loaded model {vocab}: speculative decoding needs the same tokenizer',
  host_draft_tokenizer:
    'the draft "{name}" has another tokenizer than the loaded model: its token ids mean other text',
  gpu_software_only:
    'the only WebGPU adapter is {adapter} (a software adapter: correct but slow), slower than the CPU engine (choose WebGPU in the engine setting to use it anyway)',
  gpu_software_only_unnamed:
    'the only WebGPU adapter is an unnamed adapter (a software adapter: correct but slow), slower than the CPU engine (choose WebGPU in the engine setting to use it anyway)',
  gpu_self_test_failed: 'the WebGPU self-test could not run',
  gpu_self_test_disagreed:
    'the WebGPU self-test disagreed with the CPU engine (largest logit difference {diff}, allowed {allowed})',
  gpu_on: 'WebGPU on {adapter}; self-test matched the CPU engine (largest logit difference {diff})',
  gpu_on_software:
    'WebGPU on {adapter} (a software adapter: correct but slow); self-test matched the CPU engine (largest logit difference {diff})',
  gpu_on_unnamed:
    'WebGPU on an unnamed adapter; self-test matched the CPU engine (largest logit difference {diff})',
  gpu_on_unnamed_software:
    'WebGPU on an unnamed adapter (a software adapter: correct but slow); self-test matched the CPU engine (largest logit difference {diff})',
  gpu_lost: 'the GPU device was lost ({reason})',
  gpu_lost_no_detail: 'the GPU device was lost ({reason}): no detail',
  gpu_command_failed: 'a GPU command failed',
  gpu_read_failed: 'reading results back from the GPU failed',
  trace_unknown_tap:
    'unknown trace tap "{tap}": expected one of {global} or L<layer>.<tap> with <tap> one of {layer}',
  trace_no_layer: 'trace tap "{tap}": layer {layer} does not exist (the model has {layers})',
  // the paged KV cache (src/engine/paged/*, cpu/forward.ts, src/lib/engine/sample-batch.ts)
  paged_too_large:
    'a paged KV cache of {blocks} blocks of {blockSize} positions would need {mib} MiB; ask for fewer blocks',
  paged_block_size_range: 'block size must be a whole number from 1 to {max}, got {got}',
  paged_block_size: 'block size must be a whole number >= 1, got {got}',
  paged_blocks: 'the paged KV cache needs a whole number of blocks >= 1, got {got}',
  paged_no_cache: 'this backend has no paged KV cache (create it with options.paged)',
  paged_batch_tokens:
    'decodeBatch needs one token per sequence, got {seqs} sequences and {tokens} tokens',
  paged_batch_too_large: 'at most {max} sequences decode at once, got {got}',
  paged_batch_twice: 'sequence {seq} is twice in a batch',
  paged_skips: 'position {pos} of sequence {seq} skips positions never fed (it holds {length})',
  paged_past_end: 'position {pos} is past the {max} positions a sequence can hold',
  paged_full:
    'the paged KV cache is full: all {blocks} blocks are in use (free a sequence, run fewer sequences at once, or make the pool larger)',
  paged_full_need:
    'the paged KV cache has {free} free blocks of {blocks}; sequence {seq} needs {need} more',
  paged_no_sequence: 'no sequence {seq} in the paged KV cache',
  paged_full_positions:
    'the paged KV cache has {free} free blocks of {blocks}; {positions} positions of sequence {seq} need {need}',
  paged_full_batch:
    'the paged KV cache has {free} free blocks of {blocks}; this decode step needs {need} (batch of {batch})',
  // the trainer's config file (src/train/config.ts): the training lab of chapter 5 and
  // `npm run train`; {field} is the config's own name (model.dim), {got} the value as JSON
  train_cfg_not_object: 'config: expected a JSON object with "model" and "train" sections',
  train_cfg_no_model: 'config: "model" section missing or not an object',
  train_cfg_train_not_object: 'config: "train" must be an object',
  train_cfg_unknown_field: 'config: unknown field {field} (known: {known})',
  train_cfg_missing_pos_int: 'config: {field} is required (a positive integer)',
  train_cfg_missing_int_min: 'config: {field} is required (an integer of at least {min})',
  train_cfg_pos_int: 'config: {field} must be a positive integer, got {got}',
  train_cfg_nonneg_int: 'config: {field} must be a non-negative integer, got {got}',
  train_cfg_int_min: 'config: {field} must be an integer of at least {min}, got {got}',
  train_cfg_int_range: 'config: {field} must be an integer from {min} to {max}, got {got}',
  train_cfg_number_in: 'config: {field} must be a number in {range}, got {got}',
  train_cfg_number_above: 'config: {field} must be a number above {min}, got {got}',
  train_cfg_nonneg_number: 'config: {field} must be a non-negative number (0 = off), got {got}',
  train_cfg_choice: 'config: {field} must be one of {allowed}, got {got}',
  train_cfg_bool: 'config: {field} must be true or false',
  train_cfg_head_size:
    'config: model.dim ({dim}) must be n_heads ({heads}) times an even head size',
  train_cfg_kv_heads:
    'config: model.n_heads ({heads}) must be a multiple of model.n_kv_heads ({kvHeads})',
  train_cfg_batch_workers:
    'config: train.batch_size ({batch}) must be a multiple of train.workers ({workers})',
  // the trainer's text, tokenizer and run (src/train: trainer.ts, data.ts, bpe.ts, vocab-file.ts,
  // adamw.ts, replica.ts)
  train_text_unsplittable: 'the text is too short to split into training and validation parts',
  train_text_too_short:
    'the training text is too short: {tokens} tokens, need more than seq_len {seqLen}',
  train_val_empty: 'the validation text (last 10%) is empty',
  train_bpe_vocab_size:
    'vocabulary size must be an integer of at least {min} (3 special + 256 bytes + " "), got {got}',
  train_bpe_empty_text: 'cannot train a tokenizer on empty text',
  train_vocab_too_many:
    "it holds more than the config's vocab_size ({vocab}) pieces: set vocab_size to the tokenizer's size",
  train_vocab_not_utf8: 'tokenizer piece {id} is not valid UTF-8 text',
  train_vocab_not_byte_piece:
    'tokenizer piece {id} is {got}, expected the byte-fallback piece {want}: the trainer needs <unk>, BOS, EOS, then the 256 byte pieces',
  train_vocab_no_space: 'the tokenizer has no " " piece (run.c needs it for the dummy prefix)',
  train_vocab_duplicate: 'the tokenizer has two pieces with the same text',
  train_diverged:
    'the gradient is not finite (NaN or infinity): training diverged; lower the learning rate',
  train_buffers_too_large:
    'the trainer needs more than {gib} GiB of buffers: lower batch_size or seq_len',
  train_worker_lost: 'training worker {worker} failed: the worker was stopped by the host',
  // post-training (src/train/post: loops.ts, losses.ts, policy.ts; src/lib/posttrain/worker.ts)
  post_whole_range: '{name} must be a whole number from 1 to {max}, got {got}',
  post_lr: 'lr must be in (0, 1), got {got}',
  post_seed: 'seed must be a whole number >= 0',
  post_beta: 'beta must be in (0, 10], got {got}',
  post_no_examples: 'no examples to fine-tune on',
  post_prompt_too_long: 'the prompt ({tokens} tokens) leaves no room in {positions} positions',
  post_no_response_tokens: 'no response tokens in the batch: nothing to fine-tune on',
  post_no_pairs: 'no preference pairs: every prompt gave samples with equal rewards',
  post_no_model: 'the trainer has no model yet',
  // a reader's reward formula (src/train/post/rewards.ts; the formula itself: formula_* below)
  reward_names_too_long: 'The chosen word and speaker are at most {max} characters long.',
  reward_not_finite:
    'The reward is not a finite number (it gives {got}) for a text with {features}.',
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
  formula_unreadable_end: 'The formula could not be read: it ends too soon (at character {at}).',
  formula_unreadable_paren:
    'The formula could not be read: a closing parenthesis ) is missing (at character {at}).',
  formula_unreadable_value: 'The formula could not be read: a value is missing at character {at}.',
  formula_unreadable_symbol:
    'The formula could not be read: {symbol} is out of place at character {at}.',
  formula_unreadable_at: 'The formula could not be read at character {at}.',
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
