// ECharts, through vue-echarts, with only the chart kinds the app draws (the rest of ECharts stays
// out of the bundle), drawn on canvas. Every chart's words come from the caller, already in the
// reader's language.
import { use } from 'echarts/core'
import { BarChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import VChart from 'vue-echarts'

use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export { VChart }

// One bar or slice: its label, its value (`text` shows it in words where a number alone would not
// say enough), and the records it counts (`to`, a route).
export interface ChartBar { key: string; label: string; value: number; text?: string
                            to?: { path: string; query?: Record<string, string> } }

// A bar chart of `bars` (one series), each bar named by its label.
export function barOption(bars: ChartBar[], seriesName: string) {
  return {
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: bars.map((b) => b.label), inverse: true },
    series: [{ type: 'bar', name: seriesName, data: bars.map((b) => b.value), itemStyle: { color: '#1f6feb' } }],
    aria: { enabled: true },
  }
}

// Two series side by side per bar (booked and used hours of each resource).
export function pairedBarOption(labels: string[], series: { name: string; values: number[] }[]) {
  return {
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: labels, inverse: true },
    series: series.map((s) => ({ type: 'bar', name: s.name, data: s.values })),
    aria: { enabled: true },
  }
}

export function pieOption(slices: ChartBar[], seriesName: string) {
  return {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [{ type: 'pie', name: seriesName, radius: ['35%', '65%'], center: ['50%', '45%'],
               data: slices.map((s) => ({ name: s.label, value: s.value })) }],
    aria: { enabled: true },
  }
}
