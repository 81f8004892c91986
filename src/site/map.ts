import type { Site, SitePost } from './collections.js';
import { slugify } from './slugify.js';

/** A post placed on the coordinate map. */
export interface MapPoint {
  readonly post: SitePost;
  /** The coordinates as written, in [0, 1]; y grows upward. */
  readonly x: number;
  readonly y: number;
  /** Where the point is drawn, in [0, 1], after nudging points that would overlap. */
  readonly drawX: number;
  readonly drawY: number;
  /** Index into `MapModel.legend` (the post's first category), for its colour. */
  readonly colorIndex: number;
  /**
   * Half the distance to the nearest other point, in drawing units, when that is less than the
   * largest tap area (MAX_HIT_RADIUS): the point's tap area stays within it, so a tap on a dot
   * never opens its neighbour. Null when the point has room.
   */
  readonly room: number | null;
}

/** One colour of the map, named by the category it stands for. */
export interface LegendEntry {
  readonly name: string;
  readonly colorIndex: number;
  readonly count: number;
}

/** The whole map: placed points (newest first), posts without coordinates, and the legend. */
export interface MapModel {
  readonly points: readonly MapPoint[];
  readonly unplaced: readonly SitePost[];
  readonly legend: readonly LegendEntry[];
  /** The point of each post, for highlighting a post on its own page. */
  readonly pointOf: ReadonlyMap<SitePost, MapPoint>;
}

/**
 * The map as drawn (partials/map.njk, map-points.svg.njk, the small map on post pages): a square of
 * `size` units, the unit square placed inside it with a `pad` margin on every side, y upward.
 */
export const MAP_DRAWING = { size: 640, pad: 44, span: 552 } as const;

/** Where a point's dot and label go in the drawing, in drawing units rounded to 0.1. */
export interface PointDrawing {
  readonly cx: number;
  readonly cy: number;
  /** See MapPoint.room. */
  readonly room: number | null;
  readonly label_x: number;
  readonly label_y: number;
  /** SVG text-anchor: labels run right from points on the left, left from points on the right. */
  readonly label_anchor: 'start' | 'middle' | 'end';
}

/**
 * A point's place in the drawing, worked out once here rather than in the template for each of
 * 10,000 points. Labels (at most 40 characters, about 380 units wide) stay inside the square: they
 * run right from points on the left, left from points on the right, and centre over the middle;
 * above the dot, except in the top band, where the corner labels are.
 */
export function pointDrawing(drawX: number, drawY: number, room: number | null = null): PointDrawing {
  const { pad, span } = MAP_DRAWING;
  const cx = round1(pad + drawX * span);
  const cy = round1(pad + (1 - drawY) * span);
  const anchor = drawX < 0.3 ? 'start' : drawX > 0.7 ? 'end' : 'middle';
  const labelX = round1(anchor === 'start' ? cx + 14 : anchor === 'end' ? cx - 14 : cx);
  const labelY = drawY > 0.9 ? cy + (anchor === 'middle' ? 30 : 24) : cy - (anchor === 'middle' ? 18 : 12);
  return { cx, cy, room, label_x: labelX, label_y: round1(labelY), label_anchor: anchor };
}

/** Where a point's label goes on a phone (map.css), where labels are drawn larger. */
export interface PhoneLabel {
  /** The anchor when it differs from the drawing's: the label runs toward the middle of the map. */
  readonly anchor: 'start' | 'end' | null;
  /** How far the label moves sideways, in drawing units, to stay inside the square. */
  readonly shift: number;
}

/**
 * A label of up to 43 characters (Nunjucks' truncate(40)) on a phone is as wide as most of the
 * map: it runs from its point toward the middle, moved back inside the square where it would not
 * fit. Worked out from the label as it is now (a title edited in `quire serve` moves it).
 */
export function phoneLabel(drawing: PointDrawing, label: string): PhoneLabel {
  const anchor = drawing.cx < MAP_DRAWING.size / 2 ? 'start' : 'end';
  const width = phoneLabelWidth(label);
  const inside = { from: LABEL_MARGIN, to: MAP_DRAWING.size - LABEL_MARGIN };
  let x = anchor === 'start' ? drawing.cx + 14 : drawing.cx - 14;
  if (anchor === 'start') x = Math.max(inside.from, x - Math.max(0, x + width - inside.to));
  else x = Math.min(inside.to, x + Math.max(0, inside.from - (x - width)));
  return { anchor: anchor === drawing.label_anchor ? null : anchor, shift: round1(x - drawing.label_x) };
}

/**
 * About how wide a phone's map label is (24 units, bold, map.css), rounded up: 0.6 of the size a
 * character, a whole size for the wide characters of Chinese, Japanese and Korean. The label shows
 * at most 43 characters (Nunjucks' truncate(40)).
 */
function phoneLabelWidth(label: string): number {
  const size = 24;
  let width = 0;
  // By UTF-16 units, as truncate counts (this runs for every post of the map).
  for (let i = 0; i < Math.min(label.length, 43); i++) width += isWide(label.charCodeAt(i)) ? size : 0.6 * size;
  return width;
}

/** Hangul, the CJK blocks and the fullwidth forms. */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6)
  );
}
/** Room kept between a label and the edge of the map. */
const LABEL_MARGIN = 4;

/** The largest tap area round a point, in drawing units (map.css draws 22 on a phone, 14 elsewhere). */
export const MAX_HIT_RADIUS = 22;

/** Rounds as Nunjucks' `round(1)` does. */
function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Points closer than this (in map units) would hide each other's dots, so they are spread apart. */
export const MIN_SEPARATION = 0.034;
/** The most points spread around one centre. */
export const MAX_GROUP = 8;
/** Colours the theme defines (`--map-color-0` ... ); categories beyond reuse them in order. */
export const PALETTE_SIZE = 8;
const UNCATEGORISED = 'Uncategorised';

/** Places every post with coordinates on the map. Pure and deterministic. */
export function mapModel(site: Site): MapModel {
  const placed = site.posts.filter((post) => post.coordinates !== null);
  const { legend, colorOf } = legendFor(placed);
  const spread = spreadOverlapping(placed.map((post) => post.coordinates!));
  const rooms = roomAround(spread);
  const points = placed.map((post, i): MapPoint => ({
    post,
    x: post.coordinates![0],
    y: post.coordinates![1],
    drawX: spread[i]![0],
    drawY: spread[i]![1],
    colorIndex: colorOf(post.categories[0] ?? UNCATEGORISED),
    room: rooms[i]!,
  }));
  return {
    points,
    unplaced: site.posts.filter((post) => post.coordinates === null),
    legend,
    pointOf: new Map(points.map((point) => [point.post, point])),
  };
}

/**
 * One legend entry per first category, largest first, so the common ones get the first colours;
 * names one category page gathers (`News`, `news`) are one entry, named as first met. Past the
 * palette's size, the smaller categories share its last colour as one entry, "Other categories":
 * no two entries show the same colour.
 */
function legendFor(posts: readonly SitePost[]): { legend: LegendEntry[]; colorOf: (category: string) => number } {
  const counts = new Map<string, { name: string; count: number }>();
  // A blog has few categories and every post repeats them: slugify each name once.
  const keys = new Map<string, string>();
  const keyOf = (category: string) => {
    let key = keys.get(category);
    if (key === undefined) keys.set(category, (key = slugify(category, 'default') || category));
    return key;
  };
  for (const post of posts) {
    const name = post.categories[0] ?? UNCATEGORISED;
    const entry = counts.get(keyOf(name)) ?? { name, count: 0 };
    entry.count++;
    counts.set(keyOf(name), entry);
  }
  const sorted = [...counts].sort(([, a], [, b]) => b.count - a.count || a.name.localeCompare(b.name));
  const own = sorted.length > PALETTE_SIZE ? sorted.slice(0, PALETTE_SIZE - 1) : sorted;
  const colours = new Map(own.map(([key], i) => [key, i]));
  const legend: LegendEntry[] = own.map(([, { name, count }], i) => ({ name, count, colorIndex: i }));
  const others = sorted.slice(own.length);
  if (others.length > 0) legend.push({ name: OTHER_CATEGORIES, count: others.reduce((sum, [, { count }]) => sum + count, 0), colorIndex: PALETTE_SIZE - 1 });
  return { legend, colorOf: (category) => colours.get(keyOf(category)) ?? PALETTE_SIZE - 1 };
}

const OTHER_CATEGORIES = 'Other categories';

/**
 * Points closer than MIN_SEPARATION (their dots would overlap) are grouped and laid on a small
 * circle around the group's centre, in a fixed order, so each stays visible and has its own link
 * target. A group never grows past MAX_GROUP points: on a dense map, chains of neighbours would
 * otherwise pull whole regions onto one circle. Other points stay where they are.
 */
export function spreadOverlapping(coordinates: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const result = coordinates.map(([x, y]) => [x, y] as [number, number]);
  // More than MAX_GROUP posts on one spot make several groups there: each further circle round
  // that centre is drawn a step wider than the last, and turned. All of them are moved inside the
  // square as far as the widest needs, so no point is pushed onto an edge.
  const circles = closeGroups(coordinates)
    .filter((group) => group.length > 1)
    .map((group) => ({
      group,
      x: group.reduce((sum, i) => sum + coordinates[i]![0], 0) / group.length,
      y: group.reduce((sum, i) => sum + coordinates[i]![1], 0) / group.length,
      radius: 0,
      ring: 0,
    }));
  const widest = new Map<string, { rings: number; radius: number }>();
  for (const circle of circles) {
    const centre = `${circle.x},${circle.y}`;
    const inside = widest.get(centre);
    // A circle whose neighbouring points are MIN_SEPARATION apart.
    const own = MIN_SEPARATION / (2 * Math.sin(Math.PI / circle.group.length));
    circle.radius = inside ? Math.max(own, inside.radius + MIN_SEPARATION) : own;
    circle.ring = inside?.rings ?? 0;
    widest.set(centre, { rings: circle.ring + 1, radius: circle.radius });
  }
  for (const { group, x, y, radius, ring } of circles) {
    const room = widest.get(`${x},${y}`)!.radius;
    const cx = Math.min(1 - room, Math.max(room, x));
    const cy = Math.min(1 - room, Math.max(room, y));
    // Each point in the slot nearest the side of the centre it is written on, so a point written
    // above another is drawn above it.
    const own = (index: number) => Math.atan2(coordinates[index]![1] - y, coordinates[index]![0] - x);
    const around = [...group].sort((a, b) => own(a) - own(b) || a - b);
    const start = circleStart(around.map(own)) + (ring * Math.PI) / group.length;
    around.forEach((index, k) => {
      const angle = start + (2 * Math.PI * k) / group.length;
      result[index] = [clamp(cx + radius * Math.cos(angle)), clamp(cy + radius * Math.sin(angle))];
    });
  }
  return result;
}

/**
 * Where on the circle the first of a group's points goes, the others following evenly: turned so
 * each point (in the order of its own angle round the centre, `angles`, sorted) lands as near its
 * own side as the even spacing allows (the circular mean of their differences). Points written on
 * one spot have no side: they start below the centre.
 */
function circleStart(angles: readonly number[]): number {
  let sin = 0;
  let cos = 0;
  angles.forEach((angle, k) => {
    const offset = angle - (2 * Math.PI * k) / angles.length;
    sin += Math.sin(offset);
    cos += Math.cos(offset);
  });
  return Math.hypot(sin, cos) < 1e-9 * angles.length ? -Math.PI / 2 : Math.atan2(sin, cos);
}

/** Groups of points within MIN_SEPARATION of another point of the group, at most MAX_GROUP each. */
function closeGroups(points: ReadonlyArray<readonly [number, number]>): number[][] {
  const grid = new Grid(points, MIN_SEPARATION);
  const { xs, ys } = grid;
  const parent = Int32Array.from(points, (_, i) => i);
  const size = new Int32Array(points.length).fill(1);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < points.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    // Pairs are joined in a fixed order (i, then the cells round it, then j), which decides the
    // groups where MAX_GROUP turns a point away.
    grid.eachAround(i, 1, (j) => {
      if (j <= i || !closerThan(xs[j]! - x, ys[j]! - y, MIN_SEPARATION)) return;
      const a = find(i);
      const b = find(j);
      if (a === b || size[a]! + size[b]! > MAX_GROUP) return;
      parent[b] = a;
      size[a]! += size[b]!;
    });
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < points.length; i++) {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  return [...groups.values()];
}

/**
 * The points in a grid of square cells `cell` wide over the unit square, held in flat arrays (a
 * dense map has 10,000 points, and each is compared with its neighbours).
 */
class Grid {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  /** Cells per row and column. */
  private readonly side: number;
  /** The points of cell c are members[starts[c]] up to members[starts[c + 1]], in index order. */
  private readonly starts: Int32Array;
  private readonly members: Int32Array;

  constructor(
    points: ReadonlyArray<readonly [number, number]>,
    readonly cell: number,
  ) {
    this.xs = Float64Array.from(points, (point) => point[0]);
    this.ys = Float64Array.from(points, (point) => point[1]);
    this.side = Math.floor(1 / cell) + 1;
    const cellOf = Int32Array.from(points, (_, i) => this.column(this.xs[i]!) * this.side + this.column(this.ys[i]!));
    this.starts = new Int32Array(this.side * this.side + 1);
    for (const c of cellOf) this.starts[c + 1]!++;
    for (let c = 0; c < this.side * this.side; c++) this.starts[c + 1]! += this.starts[c]!;
    const next = this.starts.slice(0, -1);
    this.members = new Int32Array(points.length);
    cellOf.forEach((c, i) => (this.members[next[c]!++] = i));
  }

  private column(value: number): number {
    return Math.floor(value / this.cell);
  }

  /**
   * Calls `visit` with each point (i itself included) in the cells at most `ring` cells from i's,
   * cell by cell (x, then y) and in index order within a cell: every point closer to i than
   * `ring` cells' width is among them.
   */
  eachAround(i: number, ring: number, visit: (j: number) => void, onlyRing = false): void {
    const gx = this.column(this.xs[i]!);
    const gy = this.column(this.ys[i]!);
    for (let cx = Math.max(0, gx - ring); cx <= Math.min(this.side - 1, gx + ring); cx++) {
      for (let cy = Math.max(0, gy - ring); cy <= Math.min(this.side - 1, gy + ring); cy++) {
        if (onlyRing && Math.max(Math.abs(cx - gx), Math.abs(cy - gy)) !== ring) continue;
        const c = cx * this.side + cy;
        for (let k = this.starts[c]!; k < this.starts[c + 1]!; k++) visit(this.members[k]!);
      }
    }
  }
}

/**
 * For each drawn point, half the distance to its nearest neighbour in drawing units, rounded down
 * to 0.1, when under MAX_HIT_RADIUS; null otherwise.
 */
function roomAround(points: ReadonlyArray<readonly [number, number]>): Array<number | null> {
  const reach = (2 * MAX_HIT_RADIUS) / MAP_DRAWING.span; // a tap area's width, in unit-square terms
  // Cells a quarter of that wide: on a dense map the nearest point is in the first ring of cells.
  const grid = new Grid(points, reach / 4);
  const { xs, ys } = grid;
  return points.map((_, i) => {
    // Squared distances: a dense map compares each point with dozens of others.
    let nearestSquared = Infinity;
    const measure = (j: number) => {
      if (j === i) return;
      const dx = xs[j]! - xs[i]!;
      const dy = ys[j]! - ys[i]!;
      nearestSquared = Math.min(nearestSquared, dx * dx + dy * dy);
    };
    // After ring r, every point not yet measured is at least r cells' width away.
    for (let ring = 0; ring <= 5; ring++) {
      grid.eachAround(i, ring, measure, true);
      const searched = ring * grid.cell;
      if (nearestSquared < searched * searched * (1 - 1e-9)) break;
    }
    const half = (Math.sqrt(nearestSquared) * MAP_DRAWING.span) / 2;
    return half < MAX_HIT_RADIUS ? Math.floor(half * 10) / 10 : null;
  });
}

/**
 * Whether hypot(dx, dy) < limit, as Math.hypot decides it, without calling it for the many pairs
 * that are plainly further apart or plainly closer (it is slow, and this runs for every pair of
 * neighbouring points); only pairs within a rounding error of `limit` are measured exactly.
 */
function closerThan(dx: number, dy: number, limit: number): boolean {
  if (Math.abs(dx) >= limit || Math.abs(dy) >= limit) return false;
  const squared = dx * dx + dy * dy;
  const limitSquared = limit * limit;
  if (squared < limitSquared * (1 - 1e-9)) return true;
  if (squared > limitSquared * (1 + 1e-9)) return false;
  return Math.hypot(dx, dy) < limit;
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/**
 * The `k` posts nearest to `post` by Euclidean distance between their written coordinates,
 * closest first; ties go to the newer post. Empty for a post without coordinates.
 */
export function nearestPosts(model: MapModel, post: SitePost, k: number): SitePost[] {
  if (k <= 0 || post.coordinates === null) return [];
  const [x, y] = post.coordinates;
  return nearestIndex(model).query(x, y, k, post);
}

/** A grid over the unit square so each nearest-neighbour query looks at a few cells, not all posts. */
class NearestIndex {
  private readonly cells: number[][];
  private readonly size: number;
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;

  constructor(private readonly points: readonly MapPoint[]) {
    this.size = Math.max(1, Math.ceil(Math.sqrt(points.length / 4)));
    this.cells = Array.from({ length: this.size * this.size }, () => []);
    this.xs = Float64Array.from(points, (point) => point.x);
    this.ys = Float64Array.from(points, (point) => point.y);
    points.forEach((point, i) => this.cells[this.cell(point.x) * this.size + this.cell(point.y)]!.push(i));
  }

  private cell(value: number): number {
    return Math.min(this.size - 1, Math.floor(value * this.size));
  }

  /** The k nearest points to (x, y) other than `exclude`, closest first (ties: lower index). */
  query(x: number, y: number, k: number, exclude: SitePost): SitePost[] {
    const cx = this.cell(x);
    const cy = this.cell(y);
    // The best k so far, kept sorted by (distance, index).
    const best: number[] = [];
    const bestDistance: number[] = [];
    const consider = (index: number) => {
      const dx = this.xs[index]! - x;
      const dy = this.ys[index]! - y;
      // A point further along either axis than the k-th best is further away: no need to measure.
      if (best.length === k && (Math.abs(dx) > bestDistance[k - 1]! || Math.abs(dy) > bestDistance[k - 1]!)) return;
      const distance = Math.hypot(dx, dy); // not squared: squares of tiny distances round to 0
      if (best.length === k && (distance > bestDistance[k - 1]! || (distance === bestDistance[k - 1]! && index > best[k - 1]!))) return;
      let at = best.length;
      while (at > 0 && (bestDistance[at - 1]! > distance || (bestDistance[at - 1] === distance && best[at - 1]! > index))) at--;
      best.splice(at, 0, index);
      bestDistance.splice(at, 0, distance);
      if (best.length > k) {
        best.pop();
        bestDistance.pop();
      }
    };
    for (let ring = 0; ring < this.size; ring++) {
      for (let gx = Math.max(0, cx - ring); gx <= Math.min(this.size - 1, cx + ring); gx++) {
        for (let gy = Math.max(0, cy - ring); gy <= Math.min(this.size - 1, cy + ring); gy++) {
          if (Math.max(Math.abs(gx - cx), Math.abs(gy - cy)) !== ring) continue;
          for (const index of this.cells[gx * this.size + gy]!) if (this.points[index]!.post !== exclude) consider(index);
        }
      }
      // Every point outside the rings searched so far is at least `ring / size` away.
      const reach = ring / this.size;
      if (best.length === k && bestDistance[k - 1]! <= reach) break;
    }
    return best.map((index) => this.points[index]!.post);
  }
}

const indexes = new WeakMap<MapModel, NearestIndex>();

function nearestIndex(model: MapModel): NearestIndex {
  let index = indexes.get(model);
  if (!index) {
    index = new NearestIndex(model.points);
    indexes.set(model, index);
  }
  return index;
}
