/**
 * Chart specs as pure data → SVG geometry (no DOM here), so they can be unit-tested and rendered by the page.
 * Horizontal bars with a linear or log scale.
 */
export interface Bar {
  readonly label: string;
  readonly value: number;
}

export interface BarGeometry {
  readonly width: number;
  readonly height: number;
  readonly bars: readonly { label: string; value: number; x: number; y: number; w: number; h: number }[];
}

export function barChart(data: readonly Bar[], opts: { width?: number; log?: boolean } = {}): BarGeometry {
  const width = opts.width ?? 520;
  const labelWidth = 170;
  const rowHeight = 20;
  const values = data.map((d) => Math.max(d.value, 0));
  const positive = values.filter((v) => v > 0);
  const max = Math.max(...values, 1e-12);
  const min = positive.length ? Math.min(...positive) : 1;
  const span = width - labelWidth - 60;
  const scale = (v: number) => {
    if (v <= 0) return 0;
    if (!opts.log) return (v / max) * span;
    const lo = Math.log10(min) - 0.3;
    return ((Math.log10(v) - lo) / (Math.log10(max) - lo)) * span;
  };
  return {
    width,
    height: data.length * rowHeight + 4,
    bars: data.map((d, i) => ({
      label: d.label,
      value: d.value,
      x: labelWidth,
      y: i * rowHeight + 2,
      w: Math.max(1, scale(d.value)),
      h: rowHeight - 6,
    })),
  };
}

/** Scatter of (x, y) on log-log axes with the y = x line (validation ledger). */
export function logScatter(points: readonly { x: number; y: number; label: string }[], size = 360) {
  const xs = points.flatMap((p) => [p.x, p.y]).filter((v) => v > 0);
  const lo = Math.log10(Math.min(...xs)) - 0.1;
  const hi = Math.log10(Math.max(...xs)) + 0.1;
  const s = (v: number) => 30 + ((Math.log10(v) - lo) / (hi - lo)) * (size - 40);
  return {
    size,
    diagonal: [s(10 ** lo), s(10 ** hi)] as const,
    points: points.filter((p) => p.x > 0 && p.y > 0).map((p) => ({ ...p, cx: s(p.x), cy: size - s(p.y) })),
  };
}

/**
 * Roofline (Williams et al. 2009): attainable FLOP/s = min(peak, intensity × bandwidth), log-log; each phase is a
 * point at its arithmetic intensity (FLOP per byte moved) and achieved FLOP/s.
 */
export function roofline(
  peakFlops: number,
  bytesPerS: number,
  points: readonly { label: string; intensity: number; flops: number }[],
  size = { w: 420, h: 260 },
) {
  const xs = [0.1, 1e4, ...points.map((p) => p.intensity)].filter((v) => v > 0);
  const xlo = Math.log10(Math.min(...xs));
  const xhi = Math.log10(Math.max(...xs));
  const ylo = Math.log10(Math.min(peakFlops / 1e4, ...points.map((p) => p.flops).filter((v) => v > 0)));
  const yhi = Math.log10(peakFlops) + 0.2;
  const x = (v: number) => 40 + ((Math.log10(v) - xlo) / (xhi - xlo)) * (size.w - 50);
  const y = (v: number) => size.h - 20 - ((Math.log10(v) - ylo) / (yhi - ylo)) * (size.h - 30);
  const ridge = peakFlops / bytesPerS;
  const left = 10 ** xlo;
  const roof = [
    [x(left), y(Math.max(left * bytesPerS, 10 ** ylo))],
    [x(ridge), y(peakFlops)],
    [x(10 ** xhi), y(peakFlops)],
  ] as const;
  return {
    ...size,
    ridge,
    roof,
    points: points
      .filter((p) => p.intensity > 0 && p.flops > 0)
      .map((p) => ({ ...p, cx: x(p.intensity), cy: y(p.flops) })),
  };
}
