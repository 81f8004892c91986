import type { Site, SitePost } from './collections.js';

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

/** Points closer than this (in map units) are spread apart so both stay visible and clickable. */
export const MIN_SEPARATION = 0.034;
/** Colours the theme defines (`--map-color-0` ... ); categories beyond reuse them in order. */
export const PALETTE_SIZE = 8;
const UNCATEGORISED = 'Uncategorised';

/** Places every post with coordinates on the map. Pure and deterministic. */
export function mapModel(site: Site): MapModel {
  const placed = site.posts.filter((post) => post.coordinates !== null);
  const legend = legendFor(placed);
  const colorOf = new Map(legend.map((entry) => [entry.name, entry.colorIndex]));
  const spread = spreadOverlapping(placed.map((post) => post.coordinates!));
  const points = placed.map((post, i): MapPoint => ({
    post,
    x: post.coordinates![0],
    y: post.coordinates![1],
    drawX: spread[i]![0],
    drawY: spread[i]![1],
    colorIndex: colorOf.get(post.categories[0] ?? UNCATEGORISED)!,
  }));
  return {
    points,
    unplaced: site.posts.filter((post) => post.coordinates === null),
    legend,
    pointOf: new Map(points.map((point) => [point.post, point])),
  };
}

/** One legend entry per first category, largest first, so the common ones get the first colours. */
function legendFor(posts: readonly SitePost[]): LegendEntry[] {
  const counts = new Map<string, number>();
  for (const post of posts) {
    const name = post.categories[0] ?? UNCATEGORISED;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count], i) => ({ name, count, colorIndex: i % PALETTE_SIZE }));
}

/**
 * Points that share (nearly) the same spot are laid on a small circle around that spot, in a fixed
 * order, so each stays visible and has its own link target. Others stay where they are.
 */
export function spreadOverlapping(coordinates: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const result = coordinates.map(([x, y]) => [x, y] as [number, number]);
  const clusters = clusterClosePoints(coordinates, MIN_SEPARATION);
  for (const cluster of clusters) {
    if (cluster.length < 2) continue;
    const cx = cluster.reduce((sum, i) => sum + coordinates[i]![0], 0) / cluster.length;
    const cy = cluster.reduce((sum, i) => sum + coordinates[i]![1], 0) / cluster.length;
    // A circle whose neighbouring points are MIN_SEPARATION apart.
    const radius = MIN_SEPARATION / (2 * Math.sin(Math.PI / Math.max(cluster.length, 2)));
    cluster.forEach((index, k) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * k) / cluster.length;
      result[index] = [clamp(cx + radius * Math.cos(angle)), clamp(cy + radius * Math.sin(angle))];
    });
  }
  return result;
}

/** Groups indexes of points that are within `distance` of another point of the group. */
function clusterClosePoints(points: ReadonlyArray<readonly [number, number]>, distance: number): number[][] {
  const grid = new Map<string, number[]>();
  const cellOf = (x: number, y: number) => `${Math.floor(x / distance)},${Math.floor(y / distance)}`;
  points.forEach(([x, y], i) => {
    const key = cellOf(x, y);
    const cell = grid.get(key);
    if (cell) cell.push(i);
    else grid.set(key, [i]);
  });
  const parent = points.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  points.forEach(([x, y], i) => {
    const cx = Math.floor(x / distance);
    const cy = Math.floor(y / distance);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const j of grid.get(`${cx + dx},${cy + dy}`) ?? []) {
          if (j <= i) continue;
          const [ox, oy] = points[j]!;
          if (Math.hypot(ox - x, oy - y) < distance) parent[find(j)] = find(i);
        }
      }
    }
  });
  const clusters = new Map<number, number[]>();
  points.forEach((_, i) => {
    const root = find(i);
    const cluster = clusters.get(root);
    if (cluster) cluster.push(i);
    else clusters.set(root, [i]);
  });
  return [...clusters.values()];
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
  private readonly cells = new Map<number, number[]>();
  private readonly size: number;

  constructor(private readonly points: readonly MapPoint[]) {
    this.size = Math.max(1, Math.ceil(Math.sqrt(points.length / 4)));
    points.forEach((point, i) => {
      const key = this.key(this.cell(point.x), this.cell(point.y));
      const cell = this.cells.get(key);
      if (cell) cell.push(i);
      else this.cells.set(key, [i]);
    });
  }

  private cell(value: number): number {
    return Math.min(this.size - 1, Math.floor(value * this.size));
  }

  private key(cx: number, cy: number): number {
    return cx * this.size + cy;
  }

  query(x: number, y: number, k: number, exclude: SitePost): SitePost[] {
    const cx = this.cell(x);
    const cy = this.cell(y);
    const found: Array<{ index: number; distance: number }> = [];
    for (let ring = 0; ring < this.size; ring++) {
      for (let gx = cx - ring; gx <= cx + ring; gx++) {
        for (let gy = cy - ring; gy <= cy + ring; gy++) {
          if (Math.max(Math.abs(gx - cx), Math.abs(gy - cy)) !== ring) continue;
          if (gx < 0 || gy < 0 || gx >= this.size || gy >= this.size) continue; // keys would alias
          for (const index of this.cells.get(this.key(gx, gy)) ?? []) {
            const point = this.points[index]!;
            if (point.post === exclude) continue;
            found.push({ index, distance: Math.hypot(point.x - x, point.y - y) });
          }
        }
      }
      // Every point outside the rings searched so far is at least `ring / size` away.
      if (found.length >= k) {
        found.sort((a, b) => a.distance - b.distance || a.index - b.index);
        if (found[k - 1]!.distance <= ring / this.size) break;
      }
    }
    found.sort((a, b) => a.distance - b.distance || a.index - b.index);
    return found.slice(0, k).map(({ index }) => this.points[index]!.post);
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
