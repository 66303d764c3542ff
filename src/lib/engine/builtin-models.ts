// The models shipped in assets/models/<name>/ (model.bin, tokenizer.bin, optional model.json
// sidecar), found at build time. Vite emits each file as an asset and gives its URL; nothing is
// fetched from anywhere but this site.
const urls = import.meta.glob('../../../assets/models/*/{model.bin,tokenizer.bin,model.json}', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

export interface BuiltinModelUrls {
  model: string;
  tokenizer: string;
  sidecar?: string;
}

function collect(): Map<string, BuiltinModelUrls> {
  const byName = new Map<string, Partial<BuiltinModelUrls>>();
  for (const [path, url] of Object.entries(urls)) {
    const m = /assets\/models\/([^/]+)\/(model\.bin|tokenizer\.bin|model\.json)$/.exec(path);
    if (!m) continue;
    const entry = byName.get(m[1]) ?? {};
    if (m[2] === 'model.bin') entry.model = url;
    else if (m[2] === 'tokenizer.bin') entry.tokenizer = url;
    else entry.sidecar = url;
    byName.set(m[1], entry);
  }
  const out = new Map<string, BuiltinModelUrls>();
  for (const [name, e] of byName) {
    if (e.model && e.tokenizer)
      out.set(name, { model: e.model, tokenizer: e.tokenizer, sidecar: e.sidecar });
  }
  return out;
}

export const BUILTIN_MODELS: ReadonlyMap<string, BuiltinModelUrls> = collect();

/** The model the notebook loads unless the reader picks another. */
export const DEFAULT_MODEL = 'main';
