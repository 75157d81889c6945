import { describe, expect, it } from 'vitest';
import { STAGE_PALETTE, stageColor, stageColorMap } from '../../app/lib/stage-colors';

describe('stage colors', () => {
  it('gives a stage the palette color of its position in stage order', () => {
    const map = stageColorMap([
      { stage: 'Negotiation/Review', sort_order: 8 },
      { stage: 'Prospecting', sort_order: 1 },
      { stage: 'Qualification', sort_order: 2 }
    ]);
    expect([...map]).toEqual([
      ['Prospecting', STAGE_PALETTE[0]],
      ['Qualification', STAGE_PALETTE[1]],
      ['Negotiation/Review', STAGE_PALETTE[2]]
    ]);
  });

  it('wraps around the palette', () => {
    expect(stageColor(STAGE_PALETTE.length)).toBe(STAGE_PALETTE[0]);
    expect(stageColor(-1)).toBe(STAGE_PALETTE[0]);
  });
});
