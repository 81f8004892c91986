import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_SEPARATION, mapModel, nearestPosts, spreadOverlapping } from '../../src/site/map.js';
import type { Site, SitePost } from '../../src/site/collections.js';

function post(i: number, coordinates: [number, number] | null, categories: string[] = ['tech']): SitePost {
  return {
    kind: 'post', relativePath: `posts/2024-01-01-p${i}.md`, id: `/p${i}`, slug: `p${i}`, title: `Post ${i}`,
    date: { epochMs: 1_700_000_000_000 - i * 86_400_000, offsetMinutes: 0 }, categories, tags: [], coordinates,
    layout: 'post', format: 'markdown', body: '', bodyLine: 1, data: {}, url: `/p${i}.html`, outputPath: `p${i}.html`,
    html: '', excerptHtml: '',
  };
}

function siteOf(posts: SitePost[]): Site {
  return { config: {} as Site['config'], posts, categories: [], tags: [], time: { epochMs: 0, offsetMinutes: 0 } };
}

describe('mapModel', () => {
  it('places posts with coordinates, lists the others, and colours by first category', () => {
    const posts = [post(1, [0.1, 0.2], ['tech']), post(2, null), post(3, [0.9, 0.9], ['ethics', 'tech']), post(4, [0.5, 0.5], ['tech'])];
    const model = mapModel(siteOf(posts));
    expect(model.points.map((p) => p.post.slug)).toEqual(['p1', 'p3', 'p4']);
    expect(model.unplaced.map((p) => p.slug)).toEqual(['p2']);
    expect(model.legend).toEqual([
      { name: 'tech', count: 2, colorIndex: 0 },
      { name: 'ethics', count: 1, colorIndex: 1 },
    ]);
    expect(model.points.find((p) => p.post.slug === 'p3')!.colorIndex).toBe(1);
  });

  it('gives names that make one category page one legend entry, and past eight categories one "Other categories" colour', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    const posts = [post(0, [0.1, 0.1], ['News']), post(1, [0.2, 0.2], ['news']), ...names.map((name, i) => post(i + 2, [0.3 + i * 0.05, 0.5], [name]))];
    const model = mapModel(siteOf(posts));
    expect(model.legend.map((entry) => [entry.name, entry.count, entry.colorIndex])).toEqual([
      ['News', 2, 0],
      ['a', 1, 1],
      ['b', 1, 2],
      ['c', 1, 3],
      ['d', 1, 4],
      ['e', 1, 5],
      ['f', 1, 6],
      ['Other categories', 3, 7],
    ]);
    // No two entries share a colour; every point's colour is its entry's.
    expect(new Set(model.legend.map((entry) => entry.colorIndex)).size).toBe(model.legend.length);
    expect(model.points.find((point) => point.post.slug === 'p1')!.colorIndex).toBe(0);
    expect(model.points.find((point) => point.post.slug === 'p10')!.colorIndex).toBe(7);
  });

  it('gives close points room to half way to their nearest neighbour, so tap areas never reach past it', () => {
    // 0.02 apart in x is 0.02 * 552 = 11.04 drawing units: room 5.5 each; a far point has room enough.
    const model = mapModel(siteOf([post(1, [0.5, 0.5]), post(2, [0.5 + MIN_SEPARATION + 0.006, 0.5]), post(3, [0.1, 0.9])]));
    const room = (slug: string) => model.points.find((p) => p.post.slug === slug)!.room;
    const expected = Math.floor((((MIN_SEPARATION + 0.006) * 552) / 2) * 10) / 10;
    expect(room('p1')).toBe(expected);
    expect(room('p2')).toBe(expected);
    expect(room('p3')).toBeNull();
  });

  it('gives every point the room a brute-force nearest-neighbour search gives, sparse or dense', () => {
    const coordinate = fc.double({ min: 0, max: 1, noNaN: true });
    // Dense clusters (a 0.1 square) as well as points spread over the whole map.
    const clustered = fc.tuple(fc.double({ min: 0.45, max: 0.55, noNaN: true }), fc.double({ min: 0.45, max: 0.55, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.tuple(coordinate, coordinate), clustered), { minLength: 2, maxLength: 400 }), (coordinates) => {
        const model = mapModel(siteOf(coordinates.map((c, i) => post(i, c as [number, number]))));
        for (const point of model.points) {
          let nearest = Infinity;
          for (const other of model.points) {
            if (other !== point) nearest = Math.min(nearest, Math.hypot(other.drawX - point.drawX, other.drawY - point.drawY));
          }
          const half = (nearest * 552) / 2;
          const expected = half < 22 ? Math.floor(half * 10) / 10 : null;
          // Squared and unsquared distances may round differently in the last place.
          if (expected === null || point.room === null) expect(point.room).toBe(expected);
          else expect(Math.abs(point.room - expected)).toBeLessThanOrEqual(0.1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps written coordinates and draws lone points where they are', () => {
    const model = mapModel(siteOf([post(1, [0.25, 0.75])]));
    expect(model.points[0]).toMatchObject({ x: 0.25, y: 0.75, drawX: 0.25, drawY: 0.75 });
  });
});

describe('spreadOverlapping', () => {
  it('moves identical points apart so each is visible', () => {
    const spread = spreadOverlapping([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]);
    for (let i = 0; i < spread.length; i++) {
      for (let j = i + 1; j < spread.length; j++) {
        expect(Math.hypot(spread[i]![0] - spread[j]![0], spread[i]![1] - spread[j]![1])).toBeGreaterThanOrEqual(MIN_SEPARATION * 0.999);
      }
    }
  });

  it('keeps close points on the sides they are written on: above stays above, right stays right', () => {
    // Whichever is listed first; the pair is closer than MIN_SEPARATION, so both move.
    for (const pair of [[[0.71, 0.31], [0.7, 0.3]], [[0.7, 0.3], [0.71, 0.31]]] as Array<Array<[number, number]>>) {
      const [a, b] = spreadOverlapping(pair);
      expect(Math.sign(a![1] - b![1])).toBe(Math.sign(pair[0]![1] - pair[1]![1]));
    }
    const [left, right] = spreadOverlapping([[0.5, 0.5], [0.52, 0.5]]);
    expect(left![0]).toBeLessThan(right![0]);
    // Three round one spot: each drawn on its own side of the centre.
    const written: Array<[number, number]> = [[0.5, 0.51], [0.49, 0.495], [0.51, 0.495]];
    const drawn = spreadOverlapping(written);
    const cx = drawn.reduce((sum, [x]) => sum + x, 0) / 3;
    const cy = drawn.reduce((sum, [, y]) => sum + y, 0) / 3;
    expect(drawn[0]![1]).toBeGreaterThan(cy);
    expect(drawn[1]![0]).toBeLessThan(cx);
    expect(drawn[2]![0]).toBeGreaterThan(cx);
  });

  it('gives every one of many points on one spot, corners included, a place of its own inside the square', () => {
    const coordinates: Array<[number, number]> = [
      ...Array.from({ length: 60 }, (): [number, number] => [0.5, 0.5]),
      ...Array.from({ length: 10 }, (): [number, number] => [0, 0]),
      ...Array.from({ length: 10 }, (): [number, number] => [1, 1]),
    ];
    const spread = spreadOverlapping(coordinates);
    for (const [x, y] of spread) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(1);
    }
    // No two are closer than a dot's width apart (8 of 552 units is about 0.0145).
    for (let i = 0; i < spread.length; i++) {
      for (let j = i + 1; j < spread.length; j++) {
        expect(Math.hypot(spread[i]![0] - spread[j]![0], spread[i]![1] - spread[j]![1]), `${i} and ${j}`).toBeGreaterThan(0.0145);
      }
    }
  });

  it('leaves points that are far apart untouched', () => {
    expect(spreadOverlapping([[0.1, 0.1], [0.9, 0.9]])).toEqual([[0.1, 0.1], [0.9, 0.9]]);
  });

  it('keeps every drawn point inside the unit square', () => {
    const spread = spreadOverlapping([[0, 0], [0, 0], [1, 1], [1, 1]]);
    for (const [x, y] of spread) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(1);
    }
  });
});

describe('nearestPosts', () => {
  it('returns the k closest other posts, closest first', () => {
    const posts = [post(1, [0.5, 0.5]), post(2, [0.52, 0.5]), post(3, [0.9, 0.9]), post(4, [0.45, 0.45]), post(5, null)];
    const model = mapModel(siteOf(posts));
    expect(nearestPosts(model, posts[0]!, 2).map((p) => p.slug)).toEqual(['p2', 'p4']);
    expect(nearestPosts(model, posts[0]!, 10).map((p) => p.slug)).toEqual(['p2', 'p4', 'p3']);
    expect(nearestPosts(model, posts[4]!, 3)).toEqual([]);
    expect(nearestPosts(model, posts[0]!, 0)).toEqual([]);
  });

  it('agrees with a brute-force search on random maps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 6 }),
        (coordinates, k) => {
          const posts = coordinates.map((c, i) => post(i, c as [number, number]));
          const model = mapModel(siteOf(posts));
          const target = posts[0]!;
          const expected = posts
            .map((p, i) => ({ p, i, d: Math.hypot(p.coordinates![0] - target.coordinates![0], p.coordinates![1] - target.coordinates![1]) }))
            .filter(({ p }) => p !== target)
            .sort((a, b) => a.d - b.d || a.i - b.i)
            .slice(0, k)
            .map(({ d }) => d);
          const found = nearestPosts(model, target, k).map((p) => Math.hypot(p.coordinates![0] - target.coordinates![0], p.coordinates![1] - target.coordinates![1]));
          expect(found).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
