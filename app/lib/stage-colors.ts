/**
 * A stage keeps one color on every page: open stages take the palette in stage order
 * (position by sort_order, ties by name), so "the third stage" is always the same hue.
 * Closed stages have fixed meaning colors. The palette is Observable's "observable10",
 * legible on both the light and the dark theme.
 */

export const STAGE_PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#a463f2', '#ff8ab7', '#97bbf5', '#9c6b4e', '#3ca951', '#9498a0'] as const;

export const WON_COLOR = '#3ca951';
export const LOST_COLOR = '#9498a0';

/** The color of the open stage at this position (0-based) in stage order; wraps around. */
export function stageColor(index: number): string {
  const i = Math.max(0, Math.trunc(index));
  return STAGE_PALETTE[i % STAGE_PALETTE.length];
}

export interface StageLike {
  stage: string;
  sort_order: number;
}

/** Stage name → color, for a list of open stages in any order. */
export function stageColorMap(stages: StageLike[]): Map<string, string> {
  const ordered = [...stages].sort((a, b) => a.sort_order - b.sort_order || a.stage.localeCompare(b.stage));
  const map = new Map<string, string>();
  for (const s of ordered) if (!map.has(s.stage)) map.set(s.stage, stageColor(map.size));
  return map;
}
