import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesBuffer, toApexSeries } from '../src/series-buffer.js';

const S = 1000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

test('fromConfig loads initial points, sorted, and trims to the window', () => {
  const buf = SeriesBuffer.fromConfig({
    windowSeconds: 60,
    series: [{ name: 'cpu', points: [[T0 + 120 * S, 3], [T0, 1], [T0 + 70 * S, 2]] }],
  });
  assert.deepEqual(buf.linePoints(0), [[T0 + 70 * S, 2], [T0 + 120 * S, 3]]);
  assert.equal(buf.windowMs, 60 * S);
});

test('append keeps order and drops points older than the window before the newest point', () => {
  const buf = new SeriesBuffer({ windowSeconds: 10, seriesCount: 2 });
  buf.merge({ series: [[[T0, 1], [T0 + 5 * S, 2]], [[T0 + 1 * S, 10]]] });
  const r = buf.merge({ series: [[[T0 + 12 * S, 3]], []] });
  assert.equal(r.changed, true);
  // cutoff = T0 + 2 s, shared by all series (newest over all of them)
  assert.deepEqual(buf.linePoints(0), [[T0 + 5 * S, 2], [T0 + 12 * S, 3]]);
  assert.deepEqual(buf.linePoints(1), []);
});

test('point exactly at the cutoff is kept', () => {
  const buf = new SeriesBuffer({ windowSeconds: 10, seriesCount: 1 });
  buf.merge({ series: [[[T0, 1], [T0 + 10 * S, 2]]] });
  assert.deepEqual(buf.linePoints(0), [[T0, 1], [T0 + 10 * S, 2]]);
});

test('resent and out-of-date points are ignored (idempotent)', () => {
  const buf = new SeriesBuffer({ windowSeconds: 900, seriesCount: 1 });
  const batch = { series: [[[T0, 1], [T0 + S, 2]]] };
  assert.equal(buf.merge(batch).changed, true);
  assert.equal(buf.merge(batch).changed, false);
  assert.equal(buf.merge({ series: [[[T0 + S, 99], [T0 - S, 5]]] }).changed, false);
  assert.deepEqual(buf.linePoints(0), [[T0, 1], [T0 + S, 2]]);
  // partially new batch: only the newer point is added
  buf.merge({ series: [[[T0 + S, 2], [T0 + 2 * S, 3]]] });
  assert.deepEqual(buf.linePoints(0), [[T0, 1], [T0 + S, 2], [T0 + 2 * S, 3]]);
});

test('a point trimmed out of the window is not re-added when resent', () => {
  const buf = new SeriesBuffer({ windowSeconds: 5, seriesCount: 2 });
  buf.merge({ series: [[[T0, 1]], [[T0 + 20 * S, 1]]] });
  assert.deepEqual(buf.linePoints(0), []);
  assert.equal(buf.merge({ series: [[[T0, 1]], []] }).changed, false);
});

test('empty and missing batch parts are fine; extra series arrays are ignored', () => {
  const buf = new SeriesBuffer({ windowSeconds: 900, seriesCount: 1 });
  assert.deepEqual(buf.merge({ series: [] }), { changed: false, markersChanged: false });
  assert.deepEqual(buf.merge({}), { changed: false, markersChanged: false });
  assert.deepEqual(buf.merge(null), { changed: false, markersChanged: false });
  buf.merge({ series: [[[T0, 1]], [[T0, 2]]] });
  assert.equal(buf.lines.length, 1);
});

test('invalid points are skipped, null values (gaps) are kept', () => {
  const buf = new SeriesBuffer({ windowSeconds: 900, seriesCount: 1 });
  buf.merge({ series: [[[T0, null], [NaN, 1], ['x', 2], [T0 + S, Infinity], null, [T0 + 2 * S, 4]]] });
  assert.deepEqual(buf.linePoints(0), [[T0, null], [T0 + 2 * S, 4]]);
});

test('band is merged, deduped and trimmed like a series', () => {
  const buf = SeriesBuffer.fromConfig({
    windowSeconds: 10,
    series: [{ name: 'p99', points: [[T0, 5]] }],
    band: { name: 'expected', points: [[T0, 1, 9], [T0 + 5 * S, 2, 8]] },
  });
  buf.merge({ series: [[]], band: [[T0 + 5 * S, 0, 0], [T0 + 14 * S, 3, 7]] });
  assert.deepEqual(buf.bandPoints(), [[T0 + 5 * S, 2, 8], [T0 + 14 * S, 3, 7]]);
  // band advances the shared cutoff too
  assert.deepEqual(buf.linePoints(0), []);
});

test('band in a batch is ignored when the chart has no band', () => {
  const buf = new SeriesBuffer({ windowSeconds: 10, seriesCount: 1 });
  assert.equal(buf.merge({ series: [[]], band: [[T0, 1, 2]] }).changed, false);
  assert.deepEqual(buf.bandPoints(), []);
});

test('markers are kept per series, deduped and trimmed with the window', () => {
  const buf = SeriesBuffer.fromConfig({
    windowSeconds: 10,
    series: [{ name: 'err', points: [[T0, 1], [T0 + S, 50]], markers: [[T0 + S, 50]] }],
  });
  assert.deepEqual(buf.markerPoints(0), [[T0 + S, 50]]);
  assert.equal(buf.merge({ series: [[]], markers: [[[T0 + S, 50]]] }).markersChanged, false);
  const r = buf.merge({ series: [[[T0 + 20 * S, 2]]] });
  assert.deepEqual(r, { changed: true, markersChanged: true });
  assert.deepEqual(buf.markerPoints(0), []);
});

test('stored points are copies of the input arrays', () => {
  const p = [T0, 1];
  const buf = new SeriesBuffer({ windowSeconds: 10, seriesCount: 1 });
  buf.merge({ series: [[p]] });
  p[1] = 42;
  assert.deepEqual(buf.linePoints(0), [[T0, 1]]);
});

test('invalid windowSeconds falls back to 900 s', () => {
  assert.equal(new SeriesBuffer({ windowSeconds: 0, seriesCount: 0 }).windowMs, 900 * S);
  assert.equal(new SeriesBuffer({ windowSeconds: null, seriesCount: 0 }).windowMs, 900 * S);
});

test('toApexSeries puts the band first as rangeArea, then lines', () => {
  const buf = SeriesBuffer.fromConfig({
    windowSeconds: 60,
    series: [{ name: 'a', points: [[T0, 1]] }, { name: 'b', points: [] }],
    band: { name: 'range', points: [[T0, 0, 2], [T0 + S, null, 3]] },
  });
  assert.deepEqual(toApexSeries(buf, ['a', 'b'], 'range'), [
    { name: 'range', type: 'rangeArea', data: [{ x: T0, y: [0, 2] }, { x: T0 + S, y: null }] },
    { name: 'a', type: 'line', data: [{ x: T0, y: 1 }] },
    { name: 'b', type: 'line', data: [] },
  ]);
  const plain = SeriesBuffer.fromConfig({ windowSeconds: 60, series: [{ name: 'a', points: [] }] });
  assert.deepEqual(toApexSeries(plain, ['a']).map((s) => s.type), ['line']);
});
