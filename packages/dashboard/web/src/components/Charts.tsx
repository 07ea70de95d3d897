/** The health charts: uPlot line charts over the series columns, sized to their box, redrawn on new data. */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SeriesColumns } from '../../../src/contract.js';
import { formatNumber } from '../format.js';

interface Line {
  key: Exclude<keyof SeriesColumns, 'at'>;
  label: string;
  colour: string;
  /** Scale factor for display (e.g. ms → minutes). */
  scale?: number;
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  lines: Line[];
  /** Draw as steps (counters) rather than straight lines between points. */
  stepped?: boolean;
}

export const HEALTH_CHARTS: ChartSpec[] = [
  {
    id: 'restarts',
    title: 'Restarts',
    unit: 'restarts',
    stepped: true,
    lines: [{ key: 'restarts', label: 'Restarts', colour: '#cf222e' }],
  },
  {
    id: 'uptime',
    title: 'Uptime',
    unit: 'min',
    lines: [{ key: 'uptimeMs', label: 'Uptime', colour: '#0a7ea4', scale: 1 / 60_000 }],
  },
  {
    id: 'checkpoints',
    title: 'Checkpoints',
    unit: 'total',
    stepped: true,
    lines: [
      { key: 'completedCheckpoints', label: 'Completed', colour: '#1a7f37' },
      { key: 'failedCheckpoints', label: 'Failed', colour: '#cf222e' },
    ],
  },
  {
    id: 'records',
    title: 'Records per second',
    unit: 'records/s',
    lines: [
      { key: 'recordsInPerSecond', label: 'In', colour: '#0969da' },
      { key: 'recordsOutPerSecond', label: 'Out', colour: '#8250df' },
    ],
  },
];

function latest(column: (number | null)[]): number | null {
  for (let i = column.length - 1; i >= 0; i--) if (column[i] !== null) return column[i]!;
  return null;
}

function dataOf(spec: ChartSpec, columns: SeriesColumns): uPlot.AlignedData {
  return [
    columns.at,
    ...spec.lines.map((l) => columns[l.key].map((v) => (v === null ? null : v * (l.scale ?? 1)))),
  ];
}

function optionsOf(spec: ChartSpec, width: number): uPlot.Options {
  const grid = { stroke: '#eaeef2', width: 1 };
  const axis = {
    stroke: '#57606a',
    grid,
    ticks: { stroke: '#d0d7de', width: 1 },
    font: '11px system-ui, sans-serif',
  };
  return {
    width,
    height: 170,
    ms: 1,
    padding: [8, 8, 0, 0],
    // Labels only: the caption gives the latest values, the cursor the ones under it.
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    scales: {
      x: { time: true },
      y: { range: (_u, min, max) => [Math.min(0, min ?? 0), (max ?? 0) > 0 ? max * 1.1 : 1] },
    },
    axes: [axis, { ...axis, size: 48, values: (_u, ticks) => ticks.map((t) => formatNumber(t)) }],
    series: [
      {},
      ...spec.lines.map((l) => ({
        label: l.label,
        stroke: l.colour,
        width: 2,
        fill: `${l.colour}14`,
        points: { show: false },
        spanGaps: false,
        value: (_u: uPlot, v: number | null) => (v === null ? '–' : `${formatNumber(v)} ${spec.unit}`),
        ...(spec.stepped ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}),
      })),
    ],
  };
}

export function Chart({ spec, columns }: { spec: ChartSpec; columns: SeriesColumns }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const el = box.current!;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry!.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (width <= 0) return;
    if (!plot.current) {
      plot.current = new uPlot(optionsOf(spec, width), dataOf(spec, columns), box.current!);
    } else {
      plot.current.setData(dataOf(spec, columns));
    }
  }, [spec, columns, width]);

  useEffect(() => {
    if (plot.current && width > 0) plot.current.setSize({ width, height: 170 });
  }, [width]);

  useEffect(
    () => () => {
      plot.current?.destroy();
      plot.current = null;
    },
    [],
  );

  const empty = spec.lines.every((l) => latest(columns[l.key]) === null);
  const summary = spec.lines
    .map((l) => {
      const v = latest(columns[l.key]);
      const value = v === null ? 'no data' : `${formatNumber(v * (l.scale ?? 1))} ${spec.unit}`;
      return spec.lines.length > 1 ? `${l.label} ${value}` : value;
    })
    .join(', ');
  return (
    <figure class="chart card" data-chart={spec.id} data-points={columns.at.length}>
      <figcaption>
        <span class="chart-title">{spec.title}</span>
        <span class="muted small">latest: {summary}</span>
      </figcaption>
      <div class="chart-box" role="img" aria-label={`${spec.title} over time; ${summary}`}>
        <div ref={box} />
        {empty && <div class="chart-empty">No datapoints in this window</div>}
      </div>
    </figure>
  );
}
