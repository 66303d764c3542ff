// The URL parser takes anything a link can hold and returns only valid values plus notices.
import { describe, expect, it } from 'vitest';
import { formatNumber, parseParams, serializeParams, type ParamSpec } from '$lib/params.ts';
import { knobSpecs, samplerDefaults, samplerSpecs } from '$lib/knobs.ts';
import { chapterParamSpecs, chapterDefaults } from '$app/page-params.ts';
import { parseHash } from '$app/route.ts';

const specs: ParamSpec[] = [...Object.values(knobSpecs), ...Object.values(samplerSpecs)];

describe('parseParams', () => {
  it('reads valid values of every kind', () => {
    const r = parseParams(
      'norm=layernorm&eps=1e-3&rope=off&kvGroups=2&prompt=Hello%20world&seed=7&temp=0.5',
      specs,
    );
    expect(r.notices).toEqual([]);
    expect(r.values).toEqual({
      norm: 'layernorm',
      eps: 1e-3,
      rope: false,
      kvGroups: 2,
      prompt: 'Hello world',
      seed: '7',
      temp: 0.5,
    });
  });

  it('clamps out-of-range numbers with a notice naming the setting', () => {
    const r = parseParams('eps=5&temp=-3&topk=100000', specs);
    expect(r.values).toMatchObject({ eps: 1, temp: 0, topk: 1000 });
    expect(r.notices).toHaveLength(3);
    expect(r.notices[0]).toMatch(/Norm eps \(eps\).*clamped to 1/);
  });

  it('never accepts a non-positive value for a log-scale number', () => {
    const r = parseParams('eps=0', specs);
    expect(r.values.eps).toBe(1e-12);
    expect(r.notices[0]).toMatch(/must be positive/);
    expect(parseParams('eps=-1e-5', specs).values.eps).toBe(1e-12);
  });

  it.each([
    ['NaN'],
    ['Infinity'],
    ['-Infinity'],
    ['0x10'],
    ['1e'],
    [' 1'],
    ['1,5'],
    ['1;alert(1)'],
    ['constructor'],
    [''],
  ])('ignores the non-number %j with a notice', (raw) => {
    const r = parseParams(`temp=${encodeURIComponent(raw)}`, specs);
    expect(r.values.temp).toBeUndefined();
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toMatch(/not a number/);
  });

  it('clamps numbers that overflow to infinity instead of passing them on', () => {
    const r = parseParams('ropeBase=1e999&temp=-1e999', specs);
    expect(r.values.ropeBase).toBe(1e9);
    expect(r.values.temp).toBe(0);
  });

  it('rejects enum values outside the list, including script and prototype names', () => {
    for (const raw of [
      '<script>alert(1)</script>',
      '__proto__',
      'constructor',
      'toString',
      'RMSNORM',
    ]) {
      const r = parseParams(`norm=${encodeURIComponent(raw)}`, specs);
      expect(r.values.norm).toBeUndefined();
      expect(r.notices[0]).toMatch(/expected one of rmsnorm, layernorm/);
    }
  });

  it('ignores unknown keys, including __proto__, without touching any prototype', () => {
    const r = parseParams('__proto__=x&constructor=y&polluted=1&javascript%3Aalert(1)=2', specs);
    expect(Object.keys(r.values)).toEqual([]);
    expect(r.notices).toHaveLength(4);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.values)).toBeNull();
  });

  it('keeps hostile text as inert text: markup stays characters, controls are stripped', () => {
    const raw = '<img src=x onerror=alert(1)>\u0000\u202e"\'`';
    const r = parseParams(`prompt=${encodeURIComponent(raw)}`, specs);
    expect(r.values.prompt).toBe('<img src=x onerror=alert(1)>"\'`');
    expect(r.notices[0]).toMatch(/removed control characters/);
  });

  it('cuts long text at the limit, counting characters not UTF-16 units', () => {
    const r = parseParams(`prompt=${encodeURIComponent('😀'.repeat(500))}`, specs);
    expect(Array.from(String(r.values.prompt))).toHaveLength(400);
    expect(r.notices[0]).toMatch(/cut to 400 characters/);
  });

  it('reports malformed escapes and keeps parsing the rest', () => {
    const r = parseParams('prompt=%E0%A4%A&temp=0.3&%zz=1', specs);
    expect(r.values).toEqual({ temp: 0.3 });
    expect(r.notices.filter((n) => /malformed/.test(n))).toHaveLength(2);
  });

  it('keeps the first of repeated keys', () => {
    const r = parseParams('temp=0.1&temp=1.9', specs);
    expect(r.values.temp).toBe(0.1);
    expect(r.notices[0]).toMatch(/more than once/);
  });

  it('checks seeds as unsigned 64-bit integers', () => {
    expect(parseParams('seed=18446744073709551615', specs).values.seed).toBe(
      '18446744073709551615',
    );
    const big = parseParams('seed=99999999999999999999999', specs);
    expect(big.values.seed).toBe('18446744073709551615');
    expect(big.notices[0]).toMatch(/2\^64/);
    expect(parseParams('seed=0', specs).values.seed).toBe('1');
    expect(parseParams('seed=-5', specs).values.seed).toBeUndefined();
    expect(parseParams('seed=1e3', specs).values.seed).toBeUndefined();
  });

  it('refuses absurdly long links outright', () => {
    const r = parseParams(`prompt=${'a'.repeat(10_000)}`, specs);
    expect(r.values).toEqual({});
    expect(r.notices[0]).toMatch(/too long/);
  });

  it('quotes hostile values in notices truncated and without control characters', () => {
    const r = parseParams(`norm=${encodeURIComponent('x'.repeat(300) + '\u0007')}`, specs);
    expect(r.notices[0].length).toBeLessThan(200);
    expect(r.notices[0].includes('\u0007')).toBe(false);
  });

  it('survives random garbage without throwing', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    const alphabet = 'aZ09=&%?#+-.eE_<>"\'\\/ \u0000\u00e9😀';
    for (let n = 0; n < 2000; n++) {
      const chars = Array.from(
        { length: Math.floor(rand() * 60) },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      );
      const q = chars.join('');
      const r = parseParams(q, specs);
      for (const [k, v] of Object.entries(r.values)) {
        const spec = specs.find((s) => s.key === k)!;
        if (spec.kind === 'number' || spec.kind === 'int') {
          expect(Number.isFinite(v)).toBe(true);
          expect(v as number).toBeGreaterThanOrEqual(spec.min);
          expect(v as number).toBeLessThanOrEqual(spec.max);
        }
      }
    }
  });
});

describe('serializeParams', () => {
  it('round-trips through parseParams and skips defaults', () => {
    const values = {
      norm: 'layernorm',
      eps: 3.162e-7,
      prompt: 'a&b=c ünïcode',
      seed: '42',
      temp: 0.8,
      rope: false,
    };
    const q = serializeParams(values, specs, samplerDefaults);
    expect(q).not.toMatch(/seed=|temp=/);
    const back = parseParams(q, specs);
    expect(back.notices).toEqual([]);
    expect(back.values).toEqual({
      norm: 'layernorm',
      eps: 3.162e-7,
      prompt: 'a&b=c ünïcode',
      rope: false,
    });
  });

  it('formats numbers so that parsing them gives the same number', () => {
    for (const x of [1e-12, 3.981e-6, 0.1, 0.8, 1, 42, 1e7, 123456.7]) {
      expect(Number(formatNumber(Number(formatNumber(x))))).toBe(Number(formatNumber(x)));
    }
  });
});

describe('chapter parameter scheme', () => {
  it('accepts view, slide, the chapter knobs and the sampler, and rejects knobs it does not expose', () => {
    const specsCh = chapterParamSpecs({ knobs: ['norm', 'eps'], params: [] });
    const r = parseParams('view=slides&slide=3&eps=1e-3&act=gelu', specsCh);
    expect(r.values).toMatchObject({ view: 'slides', slide: 3, eps: 1e-3 });
    expect(r.values.act).toBeUndefined();
    expect(r.notices).toHaveLength(1);
    expect(chapterDefaults({ paramDefaults: { layer: 0 } })).toMatchObject({
      view: 'read',
      slide: 1,
      layer: 0,
    });
  });
});

describe('parseHash', () => {
  const known = ['01-rmsnorm', '02-swiglu'];
  it('routes home, chapters and unknown pages', () => {
    expect(parseHash('', known)).toEqual({ page: 'home', query: '' });
    expect(parseHash('#/', known)).toEqual({ page: 'home', query: '' });
    expect(parseHash('#/?temp=0.5', known)).toEqual({ page: 'home', query: 'temp=0.5' });
    expect(parseHash('#/glossary?lang=zh-TW', known)).toEqual({
      page: 'glossary',
      query: 'lang=zh-TW',
    });
    expect(parseHash('#/01-rmsnorm?eps=1e-3', known)).toEqual({
      page: 'chapter',
      slug: '01-rmsnorm',
      query: 'eps=1e-3',
    });
    expect(parseHash('#/02-swiglu/', known)).toMatchObject({ page: 'chapter', slug: '02-swiglu' });
    expect(parseHash('#/03-rope', known)).toMatchObject({ page: 'missing', slug: '03-rope' });
  });

  it('treats hostile paths as missing pages, never as chapters', () => {
    for (const h of [
      '#/../../etc/passwd',
      '#/javascript:alert(1)',
      '#/%3Cscript%3E',
      '#/%E0%A4%A',
      '#/01-rmsnorm%00',
    ]) {
      expect(parseHash(h, known).page).toBe('missing');
    }
    expect(
      (parseHash(`#/${'x'.repeat(500)}`, known) as { slug: string }).slug.length,
    ).toBeLessThanOrEqual(80);
  });
});
