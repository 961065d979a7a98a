// Overlap layout: which underline lane each span is drawn in, so overlapping spans stack readably.

export interface Interval {
  start: number;
  end: number;
}

export interface Layout {
  /** levels[i] is the lane of spans[i]; 0 is the lane right under the text. */
  levels: number[];
  /** Number of lanes used (0 when there are no spans). */
  lanes: number;
}

/**
 * Greedy interval colouring: spans sorted by start (longer first on ties, so an enclosing span sits
 * closer to the text than what it encloses) each take the lowest lane free at their start. This uses
 * the minimum number of lanes (the largest number of spans covering one point) and is deterministic.
 */
export function layoutLanes(spans: readonly Interval[]): Layout {
  const order = spans.map((_, i) => i);
  order.sort((a, b) => spans[a].start - spans[b].start || spans[b].end - spans[a].end || a - b);
  const laneEnd: number[] = []; // end offset of the last span placed in each lane
  const levels = new Array<number>(spans.length).fill(0);
  for (const i of order) {
    const s = spans[i];
    let lane = 0;
    while (lane < laneEnd.length && laneEnd[lane] > s.start) lane++;
    laneEnd[lane] = s.end;
    levels[i] = lane;
  }
  return { levels, lanes: laneEnd.length };
}

/** Whether two half-open intervals share at least one position. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}
