import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption } from "echarts/charts";
import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from "echarts/components";
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import { type ComposeOption, type ECElementEvent, type EChartsType, init, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

use([
  BarChart,
  LineChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

/** The ECharts option subset the app registers. */
export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

export type ChartClickEvent = ECElementEvent;

interface EChartProps {
  option: ChartOption;
  onClick?: (event: ChartClickEvent) => void;
  height?: number;
  ariaLabel?: string;
  testId?: string;
}

/**
 * zrender keeps painting progressive layers in later animation frames, and crashes ("reading 'layerStack'")
 * if the chart is disposed meanwhile (React StrictMode remounts, filters swapping in empty states).
 * Our charts are small, so paint each in one frame.
 */
function withoutProgressive(option: ChartOption): ChartOption {
  const series = option.series;
  if (!series) return option;
  const list = Array.isArray(series) ? series : [series];
  return { ...option, series: list.map((s) => ({ progressive: 0, ...s })) as ChartOption["series"] };
}

/** A canvas ECharts instance bound to a div: init on mount, setOption on change, resize with the box. */
export function EChart({ option, onClick, height = 320, ariaLabel, testId }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const clickHandler = useRef(onClick);
  clickHandler.current = onClick;

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const instance = init(element, undefined, { renderer: "canvas" });
    chart.current = instance;
    instance.on("click", (event) => clickHandler.current?.(event));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(withoutProgressive(option), { notMerge: true });
  }, [option]);

  useEffect(() => {
    const element = ref.current;
    if (element) element.style.cursor = onClick ? "pointer" : "";
  }, [onClick]);

  return (
    <div
      ref={ref}
      className="chart"
      role="img"
      aria-label={ariaLabel}
      data-testid={testId}
      style={{ height }}
    />
  );
}
