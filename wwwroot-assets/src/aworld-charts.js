// AWorld Console live charts: a thin wrapper around ApexCharts for Blazor JS interop.
// Exports: createChart, appendPoints, setStale, disposeChart.
import ApexCharts from 'apexcharts';
import { SeriesBuffer, toApexSeries } from './series-buffer.js';

const TEXT = '#cfd8dc';
const GRID = '#37474f';
const BAND_COLOR = '#4fc3f7';
const MARKER_COLOR = '#ef5350';
const LINE_COLORS = ['#81c784', '#ffb74d', '#64b5f6', '#ba68c8', '#4db6ac', '#f06292', '#fff176', '#a1887f'];
const STALE_CLASS = 'aworld-chart-stale';

const charts = new Map();
let nextId = 1;
let styleInjected = false;

// Dimming survives redraws because it is a class on the host element, not on ApexCharts' SVG.
function injectStyle() {
  if (styleInjected || typeof document === 'undefined') return;
  styleInjected = true;
  const style = document.createElement('style');
  style.setAttribute('data-aworld-charts', '');
  style.textContent = `.${STALE_CLASS} .apexcharts-series{opacity:.35}`;
  document.head.appendChild(style);
}

function formatValue(v, unit) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const text = String(Number(Number(v).toFixed(digits)));
  return unit ? `${text} ${unit}` : text;
}

function pointAnnotations(entry) {
  const offset = entry.buffer.band ? 1 : 0;
  const points = [];
  entry.buffer.markers.forEach((_, i) => {
    for (const [t, v] of entry.buffer.markerPoints(i)) {
      if (v === null) continue;
      points.push({
        x: t,
        y: v,
        seriesIndex: i + offset,
        marker: { size: 5, fillColor: MARKER_COLOR, strokeColor: '#ffcdd2', strokeWidth: 1 },
      });
    }
  });
  return points;
}

function buildOptions(entry, config) {
  const unit = typeof config.unit === 'string' ? config.unit : '';
  const hasBand = !!entry.buffer.band;
  const lineCount = entry.names.length;
  const lineColors = entry.names.map((_, i) => LINE_COLORS[i % LINE_COLORS.length]);
  const yMin = typeof config.yMin === 'number' && Number.isFinite(config.yMin) ? config.yMin : undefined;

  return {
    chart: {
      type: hasBand ? 'rangeArea' : 'line',
      height: '100%',
      background: 'transparent',
      foreColor: TEXT,
      animations: { enabled: false },
      toolbar: { show: false },
      zoom: { enabled: false },
      selection: { enabled: false },
    },
    theme: { mode: 'dark' },
    series: toApexSeries(entry.buffer, entry.names, entry.bandName),
    colors: hasBand ? [BAND_COLOR, ...lineColors] : lineColors,
    stroke: {
      curve: 'straight',
      width: hasBand ? [0, ...Array(lineCount).fill(2)] : 2,
    },
    fill: {
      type: 'solid',
      opacity: hasBand ? [0.18, ...Array(lineCount).fill(1)] : 1,
    },
    markers: { size: 0, hover: { size: 3 } },
    dataLabels: { enabled: false },
    title: { text: config.title ?? '', align: 'left', style: { color: TEXT, fontSize: '14px' } },
    subtitle: { text: '', align: 'right', style: { color: '#ffb74d', fontSize: '12px' } },
    grid: { borderColor: GRID, strokeDashArray: 2 },
    xaxis: {
      type: 'datetime',
      range: entry.buffer.windowMs,
      labels: { datetimeUTC: true, style: { colors: TEXT } },
      axisBorder: { color: GRID },
      axisTicks: { color: GRID },
      tooltip: { enabled: false },
    },
    yaxis: {
      min: yMin,
      forceNiceScale: true,
      labels: { style: { colors: TEXT }, formatter: (v) => formatValue(v, unit) },
    },
    legend: { position: 'bottom', labels: { colors: TEXT } },
    tooltip: {
      theme: 'dark',
      shared: true,
      intersect: false,
      x: { format: 'HH:mm:ss' },
      y: { formatter: (v) => formatValue(v, unit) },
    },
    annotations: { points: pointAnnotations(entry) },
  };
}

// Exactly one ApexCharts call per flush: updateSeries for plain data, updateOptions when the
// marker annotations or the stale subtitle have to change along with it.
function flush(entry) {
  if (!entry.ready || !entry.dirty) return;
  const { series: dataChanged, annotations, subtitle } = entry.dirty;
  entry.dirty = null;
  const series = toApexSeries(entry.buffer, entry.names, entry.bandName);
  let done;
  if (annotations || subtitle) {
    const opts = {};
    if (dataChanged || annotations) opts.series = series;
    if (annotations) opts.annotations = { points: pointAnnotations(entry) };
    if (subtitle) opts.subtitle = { text: entry.staleText };
    done = entry.chart.updateOptions(opts, false, false);
  } else {
    done = entry.chart.updateSeries(series, false);
  }
  Promise.resolve(done).catch(() => {});
}

function markDirty(entry, what) {
  entry.dirty = entry.dirty ?? { series: false, annotations: false, subtitle: false };
  Object.assign(entry.dirty, what);
  flush(entry);
}

/**
 * Creates a chart in `element` and returns its id.
 * config: { title, unit, windowSeconds, yMin?, series: [{ name, points: [[ms, v]], markers?: [[ms, v]] }],
 *           band?: { name, points: [[ms, low, high]] } | null }
 */
export function createChart(element, config) {
  injectStyle();
  const cfg = config ?? {};
  const id = `aw-chart-${nextId++}`;
  const series = Array.isArray(cfg.series) ? cfg.series : [];
  const entry = {
    element,
    buffer: SeriesBuffer.fromConfig(cfg),
    names: series.map((s, i) => s?.name ?? `series ${i + 1}`),
    bandName: cfg.band?.name ?? 'band',
    staleText: '',
    ready: false,
    dirty: null,
    chart: null,
  };
  entry.chart = new ApexCharts(element, buildOptions(entry, cfg));
  charts.set(id, entry);
  Promise.resolve(entry.chart.render())
    .then(() => {
      if (charts.get(id) !== entry) return;
      entry.ready = true;
      flush(entry);
    })
    .catch(() => {});
  return id;
}

/**
 * Appends a batch with one redraw: { series: [[[ms, v], ...], ...], band?: [[ms, low, high], ...],
 * markers?: [[[ms, v], ...], ...] }. Old or repeated points are ignored; unknown id is a no-op.
 */
export function appendPoints(id, batch) {
  const entry = charts.get(id);
  if (!entry) return;
  const { changed, markersChanged } = entry.buffer.merge(batch);
  if (!changed && !markersChanged) return;
  // Markers are trimmed with the same cutoff as the lines, so markersChanged covers both.
  markDirty(entry, markersChanged ? { series: true, annotations: true } : { series: true });
}

/** Shows `ageText` (e.g. "data 45 s old") as subtitle and dims the series; empty/null clears. */
export function setStale(id, ageText) {
  const entry = charts.get(id);
  if (!entry) return;
  const text = typeof ageText === 'string' ? ageText.trim() : '';
  if (text === entry.staleText) return;
  entry.staleText = text;
  entry.element?.classList?.toggle(STALE_CLASS, text.length > 0);
  markDirty(entry, { subtitle: true });
}

/** Destroys the chart and forgets it; unknown id is a no-op. */
export function disposeChart(id) {
  const entry = charts.get(id);
  if (!entry) return;
  charts.delete(id);
  entry.element?.classList?.remove(STALE_CLASS);
  try {
    entry.chart.destroy();
  } catch {
    // already torn down (e.g. element removed by Blazor first)
  }
}
