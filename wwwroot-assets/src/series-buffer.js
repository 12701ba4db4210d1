// Pure data handling for the live charts: no DOM, no ApexCharts.
// Points are [epochMs, value] for lines and markers, [epochMs, low, high] for the band.
// Values may be null (a gap); timestamps must be finite numbers.

const DEFAULT_WINDOW_SECONDS = 900;

const isTime = (t) => typeof t === 'number' && Number.isFinite(t);
const isValue = (v) => v === null || (typeof v === 'number' && Number.isFinite(v));

function validLine(p) {
  return Array.isArray(p) && p.length >= 2 && isTime(p[0]) && isValue(p[1]);
}

function validBand(p) {
  return Array.isArray(p) && p.length >= 3 && isTime(p[0]) && isValue(p[1]) && isValue(p[2]);
}

// One series: kept points plus a high-water mark that never goes back, so a
// point the server resends is ignored even after it was trimmed out of the window.
class Track {
  constructor(isValid) {
    this.isValid = isValid;
    this.points = [];
    this.last = -Infinity;
  }

  // Adds points newer than the high-water mark; returns how many were added.
  add(points) {
    if (!Array.isArray(points) || points.length === 0) return 0;
    const fresh = points.filter(this.isValid).sort((a, b) => a[0] - b[0]);
    let added = 0;
    for (const p of fresh) {
      if (p[0] <= this.last) continue;
      this.points.push(p.slice());
      this.last = p[0];
      added++;
    }
    return added;
  }

  newest() {
    return this.points.length ? this.points[this.points.length - 1][0] : -Infinity;
  }

  // Drops points with time < cutoff; returns how many were dropped.
  trim(cutoff) {
    let i = 0;
    while (i < this.points.length && this.points[i][0] < cutoff) i++;
    if (i > 0) this.points.splice(0, i);
    return i;
  }
}

export class SeriesBuffer {
  /**
   * @param {{ windowSeconds?: number, seriesCount: number, hasBand?: boolean }} opts
   */
  constructor({ windowSeconds, seriesCount, hasBand = false }) {
    const w = Number(windowSeconds);
    this.windowMs = (Number.isFinite(w) && w > 0 ? w : DEFAULT_WINDOW_SECONDS) * 1000;
    this.lines = [];
    this.markers = [];
    for (let i = 0; i < seriesCount; i++) {
      this.lines.push(new Track(validLine));
      this.markers.push(new Track(validLine));
    }
    this.band = hasBand ? new Track(validBand) : null;
  }

  /** Builds a buffer from the createChart config and loads its initial points. */
  static fromConfig(config) {
    const series = Array.isArray(config?.series) ? config.series : [];
    const buf = new SeriesBuffer({
      windowSeconds: config?.windowSeconds,
      seriesCount: series.length,
      hasBand: !!config?.band,
    });
    buf.merge({
      series: series.map((s) => s?.points ?? []),
      markers: series.map((s) => s?.markers ?? []),
      band: config?.band?.points ?? [],
    });
    return buf;
  }

  /** Newest timestamp over all lines and the band (-Infinity when empty). */
  newest() {
    let t = -Infinity;
    for (const tr of this.lines) t = Math.max(t, tr.newest());
    if (this.band) t = Math.max(t, this.band.newest());
    return t;
  }

  /**
   * Merges a batch { series?: [[[t, v], ...], ...], band?: [[t, lo, hi], ...],
   * markers?: [[[t, v], ...], ...] } and trims everything older than the window
   * before the newest point. Returns { changed, markersChanged }.
   */
  merge(batch) {
    let changed = 0;
    let markersChanged = 0;
    const series = Array.isArray(batch?.series) ? batch.series : [];
    for (let i = 0; i < this.lines.length && i < series.length; i++) {
      changed += this.lines[i].add(series[i]);
    }
    if (this.band) changed += this.band.add(batch?.band);
    const markers = Array.isArray(batch?.markers) ? batch.markers : [];
    for (let i = 0; i < this.markers.length && i < markers.length; i++) {
      markersChanged += this.markers[i].add(markers[i]);
    }

    const newest = this.newest();
    if (newest > -Infinity) {
      const cutoff = newest - this.windowMs;
      for (const tr of this.lines) changed += tr.trim(cutoff);
      if (this.band) changed += this.band.trim(cutoff);
      for (const tr of this.markers) markersChanged += tr.trim(cutoff);
    }
    return { changed: changed > 0, markersChanged: markersChanged > 0 };
  }

  linePoints(i) {
    return this.lines[i]?.points ?? [];
  }

  bandPoints() {
    return this.band ? this.band.points : [];
  }

  markerPoints(i) {
    return this.markers[i]?.points ?? [];
  }
}

/**
 * ApexCharts series array for the buffer: the band (if any) first as 'rangeArea',
 * then one 'line' per series. `names` = line names, `bandName` = band name.
 */
export function toApexSeries(buffer, names, bandName) {
  const out = [];
  if (buffer.band) {
    out.push({
      name: bandName ?? 'band',
      type: 'rangeArea',
      data: buffer.bandPoints().map((p) => ({ x: p[0], y: p[1] === null || p[2] === null ? null : [p[1], p[2]] })),
    });
  }
  buffer.lines.forEach((_, i) => {
    out.push({
      name: names[i] ?? `series ${i + 1}`,
      type: 'line',
      data: buffer.linePoints(i).map((p) => ({ x: p[0], y: p[1] })),
    });
  });
  return out;
}
