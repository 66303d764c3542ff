// The symbols a piece of TeX uses, for the per-chapter glossary test
// (tests/unit/chapters/symbols.test.ts). A small parser of the TeX the chapters write (not all of
// TeX): it reads atoms (a letter, a Greek letter, an accented or bold letter, a group, a command)
// with their subscripts and superscripts, skips words (\text{..}, \mathrm{..},
// \operatorname{..}, environment names, colours, spacing) and commands that are operators
// (\frac, \sqrt, \sum, \log, ...), whose arguments are read as math.
//
// A symbol's name is its canonical TeX: `x`, `\gamma`, `\hat{x}`, `h_{kv}`, `W_{K}`. A
// subscript that is a word (two or more letters, or \text / \mathrm) names the symbol (d_{model},
// h_{kv}): it must be in the glossary as a whole. Any other subscript (x_i, W_1, \theta_{i+1}) is
// the whole name if the glossary has it (W_1 for a matrix, d_k) and otherwise an index: the base
// and the subscript's own symbols are used. Primes work the same way (f' or f). Superscripts are
// read as math (powers, (j), \top).

const GREEK = new Set(
  (
    'alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi ' +
    'pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega ' +
    'Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell'
  ).split(' '),
);

/** Commands that make a new symbol out of their argument (\hat{x} is not x). */
const DECORATIONS = new Set(
  'hat widehat bar overline tilde widetilde vec dot ddot check breve mathbf boldsymbol bm mathcal mathbb mathsf mathit'.split(
    ' ',
  ),
);

/** Commands whose (first) braced argument is words, not math. */
const WORDS = new Set(
  'text textrm textit textbf textsf texttt mathtt operatorname mbox hbox begin end color label tag hspace vspace kern mkern'.split(
    ' ',
  ),
);

/** Commands whose first two braced arguments are skipped (the colour) and read (the text). */
const COLOURED = new Set(['textcolor']);

type Token =
  | { t: 'cmd'; name: string }
  | { t: 'letter'; ch: string }
  | { t: 'char'; ch: string }
  | { t: 'open' }
  | { t: 'close' };

function tokenize(tex: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tex.length;) {
    const c = tex[i]!;
    if (c === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(tex.slice(i));
      const name = m ? m[1]! : '';
      out.push({ t: 'cmd', name });
      i += 1 + name.length;
      // A control word eats the spaces after it.
      if (/^[A-Za-z]/.test(name)) while (tex[i] === ' ') i++;
    } else if (c === '{') {
      out.push({ t: 'open' });
      i++;
    } else if (c === '}') {
      out.push({ t: 'close' });
      i++;
    } else if (/\p{L}/u.test(c)) {
      out.push({ t: 'letter', ch: c });
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      out.push({ t: 'char', ch: c });
      i++;
    }
  }
  return out;
}

/** A parsed atom: a nucleus with optional scripts. */
interface Atom {
  /** The nucleus: an identifier's canonical TeX, or null for anything else (operators, numbers). */
  ident: string | null;
  /** The nucleus's inner atoms when it is a group or an operator's arguments. */
  inner: Atom[];
  /** A word nucleus or argument (\text{..}): its raw text, for canonical subscripts. */
  word?: string;
  sub?: Group;
  sup?: Group;
  primes: number;
}

interface Group {
  atoms: Atom[];
  /** Canonical TeX of the group (whitespace dropped), used to name subscripted symbols. */
  canon: string;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  parseAll(): Atom[] {
    const atoms: Atom[] = [];
    while (this.i < this.toks.length) {
      const tok = this.toks[this.i]!;
      if (tok.t === 'close') {
        this.i++; // a stray brace: ignore
        continue;
      }
      atoms.push(this.atom());
    }
    return atoms;
  }

  /** Atoms up to the matching close brace (the open brace already read). */
  private groupBody(): Group {
    const start = this.i;
    const atoms: Atom[] = [];
    while (this.i < this.toks.length && this.toks[this.i]!.t !== 'close') atoms.push(this.atom());
    const canon = canonical(this.toks.slice(start, this.i));
    this.i++; // the close brace
    return { atoms, canon };
  }

  /** A braced group or a single token, as a script or an argument. */
  private argument(): Group {
    const tok = this.toks[this.i];
    if (!tok) return { atoms: [], canon: '' };
    if (tok.t === 'open') {
      this.i++;
      return this.groupBody();
    }
    const start = this.i;
    const atom = this.nucleus();
    return { atoms: [atom], canon: canonical(this.toks.slice(start, this.i)) };
  }

  /** Raw text of a braced argument (for words), or '' if there is none. */
  private rawArgument(): string {
    if (this.toks[this.i]?.t !== 'open') return '';
    const start = ++this.i;
    let depth = 1;
    while (this.i < this.toks.length && depth > 0) {
      const t = this.toks[this.i]!.t;
      if (t === 'open') depth++;
      if (t === 'close') depth--;
      this.i++;
    }
    return canonical(this.toks.slice(start, this.i - 1));
  }

  private nucleus(): Atom {
    const tok = this.toks[this.i++]!;
    const atom: Atom = { ident: null, inner: [], primes: 0 };
    if (tok.t === 'letter') atom.ident = tok.ch;
    else if (tok.t === 'open') atom.inner = this.groupBody().atoms;
    else if (tok.t === 'cmd') {
      const name = tok.name;
      if (GREEK.has(name)) atom.ident = `\\${name}`;
      else if (DECORATIONS.has(name)) {
        // \hat{x}, \mathbf{1}, \mathbb{R}: a symbol of its own. Over more than one letter
        // (\overline{\tilde k_i}, \vec{ab}) the decoration is an operation on what it covers.
        const arg = this.argument();
        const only = arg.atoms.length === 1 ? arg.atoms[0]! : null;
        const single = only && !only.sub && !only.sup && (only.ident || /^[0-9]$/.test(arg.canon));
        if (single) atom.ident = `\\${name}{${arg.canon}}`;
        else atom.inner = arg.atoms;
      } else if (name === 'mathrm') {
        // \mathrm{i} (the imaginary unit), \mathrm{d}: a symbol; \mathrm{ReLU}: a word.
        const raw = this.rawArgument();
        if (/^[A-Za-z]$/.test(raw)) atom.ident = `\\mathrm{${raw}}`;
        else atom.word = raw;
      } else if (WORDS.has(name)) {
        atom.word = this.rawArgument();
      } else if (COLOURED.has(name)) {
        this.rawArgument();
        atom.inner = this.argument().atoms;
      }
      // Any other command (\frac, \sqrt, \sum, \log, \cdot, \left, \quad, ...) is an operator:
      // its braced arguments follow as groups and are read as math by the caller.
    }
    return atom;
  }

  private atom(): Atom {
    const atom = this.nucleus();
    for (;;) {
      const tok = this.toks[this.i];
      if (tok?.t === 'char' && tok.ch === '_') {
        this.i++;
        atom.sub = this.argument();
      } else if (tok?.t === 'char' && tok.ch === '^') {
        this.i++;
        atom.sup = this.argument();
      } else if (tok?.t === 'char' && tok.ch === "'") {
        this.i++;
        atom.primes++;
      } else break;
    }
    return atom;
  }
}

function canonical(toks: Token[]): string {
  return toks
    .map((t) =>
      t.t === 'cmd'
        ? /^[A-Za-z]/.test(t.name)
          ? `\\${t.name} `
          : `\\${t.name}`
        : t.t === 'open'
          ? '{'
          : t.t === 'close'
            ? '}'
            : t.ch,
    )
    .join('')
    .replace(/ (?=[^A-Za-z]|$)/g, '');
}

/** A subscript that names its symbol: a word of letters, or text. */
function isNamingSub(g: Group): boolean {
  if (g.atoms.length === 1 && g.atoms[0]!.word !== undefined) return true;
  return g.atoms.length >= 2 && g.atoms.every((a) => a.ident && /^[A-Za-z]$/.test(a.ident));
}

/** The names of the symbols a TeX string uses, resolved against the glossary's names. */
export function symbolsIn(tex: string, known: ReadonlySet<string>): string[] {
  const atoms = new Parser(tokenize(tex)).parseAll();
  const found: string[] = [];
  const visitGroup = (g: Group | undefined) => g?.atoms.forEach(visit);
  function visit(a: Atom) {
    a.inner.forEach(visit);
    if (a.ident) {
      let base = a.ident;
      const primed = base + "'".repeat(a.primes);
      if (a.primes > 0 && known.has(primed)) base = primed;
      if (a.sub) {
        const full = `${base}_{${a.sub.canon}}`;
        if (known.has(full) || isNamingSub(a.sub)) found.push(full);
        else {
          found.push(base);
          visitGroup(a.sub);
        }
      } else found.push(base);
    } else visitGroup(a.sub);
    visitGroup(a.sup);
  }
  atoms.forEach(visit);
  return found;
}

/** The canonical name of a glossary entry's TeX (one symbol, e.g. `h_{kv}`, `\hat{x}`, `W_1`). */
export function canonicalSymbol(tex: string): string {
  const atoms = new Parser(tokenize(tex)).parseAll();
  const a = atoms.length === 1 ? atoms[0]! : null;
  if (!a?.ident || a.sup) throw new Error(`not a single symbol: ${tex}`);
  const base = a.ident + "'".repeat(a.primes);
  return a.sub ? `${base}_{${a.sub.canon}}` : base;
}
