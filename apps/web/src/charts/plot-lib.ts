/**
 * The parts of Observable Plot the charts use, loaded on demand (a separate chunk): the first paint needs no chart
 * code, and the named re-exports let the bundler drop the rest of Plot.
 */
export { areaY, barX, dot, line, plot, pointer, ruleX, ruleY, stackX, text, tip } from "@observablehq/plot";
