// `embed=` and `at=` name a chapter's blocks: embed only figures and labs, at any block; other
// values are dropped with a notice, like every other link value.
import { describe, expect, it } from 'vitest';
import { chapterParamSpecs, figureIds } from '$app/page-params.ts';
import { parseParams } from '$lib/params.ts';
import { chapter as ch3 } from '../../../chapters/03-rope/chapter.ts';

describe('figure parameters', () => {
  const specs = chapterParamSpecs(ch3);

  it('embed takes the id of a figure or a lab, at the id of any block', () => {
    const ids = figureIds(ch3.blocks);
    expect(ids).toContain('decay');
    expect(ids).toContain('lab');
    for (const id of ids)
      expect(['figure', 'lab']).toContain(ch3.blocks.find((b) => b.id === id)?.kind);
    expect(parseParams('embed=decay&at=check&ropeBase=500', specs)).toMatchObject({
      values: { embed: 'decay', at: 'check', ropeBase: 500 },
      notices: [],
    });
  });

  it('a prose block cannot be embedded, and an unknown id is refused with a notice', () => {
    const prose = ch3.blocks.find((b) => b.kind === 'prose')!.id;
    const r = parseParams(`embed=${prose}&at=nowhere`, specs);
    expect(r.values.embed).toBeUndefined();
    expect(r.values.at).toBeUndefined();
    expect(r.notices).toHaveLength(2);
    expect(r.notices[0]).toMatch(/Embedded figure/);
    expect(r.notices[0]).toContain('decay');
  });

  it('without blocks (older callers) the specs have no embed or at', () => {
    const keys = chapterParamSpecs({ knobs: ['norm'], params: [] }).map((s) => s.key);
    expect(keys).not.toContain('embed');
    expect(keys).not.toContain('at');
  });
});
