/**
 * Renders a chart spec with Observable Plot (loaded on demand) at its container's width, and again whenever the
 * container resizes.
 */
import { html } from "htm/preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import type { ChartSpec, Plot } from "./specs.ts";

let plotLib: Promise<Plot> | undefined;
const loadPlot = () => {
  plotLib ??= import("./plot-lib.ts");
  return plotLib;
};

export function PlotFigure(props: { name: string; title: string; spec: ChartSpec; note?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    let drawnWidth = 0;
    let alive = true;
    let observer: ResizeObserver | undefined;
    void loadPlot().then((P) => {
      if (!alive) return;
      const draw = () => {
        const width = Math.floor(el.clientWidth);
        if (width <= 0 || width === drawnWidth) return;
        drawnWidth = width;
        el.replaceChildren(P.plot(props.spec(width, P)));
        el.dataset.rendered = "true";
      };
      draw();
      observer = new ResizeObserver(draw);
      observer.observe(el);
    });
    return () => {
      alive = false;
      observer?.disconnect();
    };
  }, [props.spec]);
  return html`<figure class="chart" data-chart=${props.name}>
    <figcaption>${props.title}</figcaption>
    <div class="chart-body" ref=${ref}></div>
    ${props.note ? html`<p class="chart-note">${props.note}</p>` : null}
  </figure>`;
}
