/**
 * The stylesheet inlined into the HTML report. System fonts only (the page
 * makes no request), a restrained palette held in custom properties so that
 * light and dark mode (prefers-color-scheme) differ in one place, and no
 * `style` attributes anywhere: the page's Content-Security-Policy allows this
 * stylesheet by hash and nothing else.
 */

/** CSS of the report page. */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --ink: #1d2330; --muted: #5d6776; --faint: #8a93a1;
  --line: #dfe3e9; --line-strong: #c5ccd6; --hover: #f0f3f7;
  --accent: #2f5fb3; --bad: #c2410c; --bad-soft: #fbe4d6; --good: #16775a; --good-soft: #dcf1e8;
  --short: #6b7280; --short-soft: #eceef1; --all: #4b5563;
  --mark: #ffe08a; --mark-ink: #1d2330;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12151b; --panel: #1a1e26; --ink: #e4e7ec; --muted: #a2abb8; --faint: #7b8492;
    --line: #2b313c; --line-strong: #3a4250; --hover: #222834;
    --accent: #7ea6ee; --bad: #f08a5d; --bad-soft: #43261a; --good: #4cc39a; --good-soft: #173629;
    --short: #9aa3af; --short-soft: #2a2f38; --all: #b8c0cc;
    --mark: #8a6d12; --mark-ink: #fff8e1;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--ink); font: 15px/1.5 var(--sans); -webkit-font-smoothing: antialiased; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 28px; }
header.top { background: var(--panel); border-bottom: 1px solid var(--line); padding: 22px 0 18px; }
header.top h1 { margin: 0; font-size: 22px; font-weight: 650; letter-spacing: -0.01em; }
header.top .sub { margin: 4px 0 0; color: var(--muted); font-size: 13.5px; }
main { padding: 8px 0 64px; }
section { margin-top: 28px; }
h2 { font-size: 17px; font-weight: 650; margin: 0 0 12px; letter-spacing: -0.005em; }
h3 { font-size: 15px; font-weight: 650; margin: 0; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; }
.panel + .panel { margin-top: 14px; }
.note { color: var(--muted); font-size: 13px; margin: 8px 0 0; }
.num { font-variant-numeric: tabular-nums; }
code, .mono { font-family: var(--mono); font-size: 0.9em; }

.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.stat { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; }
.stat .label { color: var(--muted); font-size: 12.5px; }
.stat .value { font-size: 22px; font-weight: 620; font-variant-numeric: tabular-nums; margin-top: 2px; }
.stat .detail { color: var(--faint); font-size: 12px; font-variant-numeric: tabular-nums; }

dl.config { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr)); gap: 10px 24px; margin: 14px 0 0; }
dl.config div { border-top: 1px solid var(--line); padding-top: 7px; }
dl.config dt { color: var(--muted); font-size: 12.5px; }
dl.config dd { margin: 1px 0 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.rule { font-size: 14.5px; margin: 0; }

table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12.5px; border-bottom-color: var(--line-strong); white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td .sub { color: var(--faint); font-size: 12px; margin-left: 4px; }
tbody tr:last-child td { border-bottom: 0; }
.table-scroll { overflow-x: auto; }

svg.chart { display: block; width: 100%; max-width: 1080px; height: auto; margin-bottom: 14px; }
svg.chart text { fill: var(--ink); font-family: var(--sans); font-size: 13px; }
svg.chart text.axis { fill: var(--faint); font-size: 11.5px; }
svg.chart text.value { fill: var(--muted); font-size: 12.5px; font-variant-numeric: tabular-nums; }
svg.chart text.head { fill: var(--muted); font-size: 12px; font-weight: 600; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .zero { stroke: var(--line-strong); stroke-width: 1.5; }
svg.chart .track { fill: var(--hover); }
svg.chart .bar { fill: var(--bad); }
svg.chart .whisker { stroke: var(--accent); stroke-width: 2; }
svg.chart .dot-all { fill: var(--all); }
svg.chart .dot-clean { fill: var(--good); }
svg.chart .dot-contaminated { fill: var(--bad); }
svg.chart .dot-delta { fill: var(--accent); }
.legend { display: flex; gap: 16px; flex-wrap: wrap; color: var(--muted); font-size: 12.5px; margin: 0 0 8px; }
.legend span::before { content: ""; display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; vertical-align: 0; }
.legend .all::before { background: var(--all); }
.legend .clean::before { background: var(--good); }
.legend .contaminated::before { background: var(--bad); }
.legend .delta::before { background: var(--accent); }
.score-head { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; flex-wrap: wrap; margin-bottom: 10px; }
.score-head .meta { color: var(--muted); font-size: 13px; }
.flag { display: inline-block; font-size: 11.5px; padding: 0 7px; border-radius: 999px; background: var(--short-soft); color: var(--muted); white-space: nowrap; }

.controls { display: flex; gap: 10px; flex-wrap: wrap; align-items: end; margin-bottom: 12px; }
.controls label { display: flex; flex-direction: column; gap: 3px; color: var(--muted); font-size: 12.5px; }
.controls .grow { flex: 1 1 260px; }
select, input[type="search"], button {
  font: inherit; font-size: 14px; color: var(--ink); background: var(--panel);
  border: 1px solid var(--line-strong); border-radius: 7px; padding: 6px 10px;
}
input[type="search"] { width: 100%; }
button { cursor: pointer; }
button:hover:not(:disabled) { background: var(--hover); }
button:disabled { color: var(--faint); cursor: default; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.status { color: var(--muted); font-size: 13px; font-variant-numeric: tabular-nums; }
.pager { display: flex; gap: 8px; align-items: center; justify-content: space-between; margin-top: 12px; }
.pager .buttons { display: flex; gap: 8px; align-items: center; }

#sample-table { table-layout: fixed; }
#sample-table col.c-bench { width: 11%; } #sample-table col.c-row { width: 6%; } #sample-table col.c-id { width: 15%; }
#sample-table col.c-verdict { width: 11%; } #sample-table col.c-overlap { width: 8%; } #sample-table col.c-longest { width: 7%; }
#sample-table col.c-docs { width: 6%; } #sample-table col.c-text { width: 36%; }
#sample-table td { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: middle; }
#sample-table td.mono { font-size: 12.5px; line-height: 21px; color: var(--muted); }
#sample-table tbody tr { cursor: pointer; }
#sample-table tbody tr:hover, #sample-table tbody tr:focus { background: var(--hover); outline: none; }
th button.sort { border: 0; background: none; padding: 0; color: inherit; font: inherit; font-size: 12.5px; font-weight: 600; }
.verdict { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 999px; font-weight: 550; }
.verdict.contaminated { background: var(--bad-soft); color: var(--bad); }
.verdict.clean { background: var(--good-soft); color: var(--good); }
.verdict.too-short { background: var(--short-soft); color: var(--short); }
.empty { color: var(--muted); text-align: center; padding: 28px; }

dialog { width: min(1240px, 96vw); max-height: 92vh; overflow: auto; padding: 0; border: 1px solid var(--line-strong); border-radius: 12px; background: var(--panel); color: var(--ink); }
dialog::backdrop { background: rgba(10, 14, 20, 0.45); }
.dialog-head { position: sticky; top: 0; background: var(--panel); border-bottom: 1px solid var(--line); padding: 14px 20px; display: flex; justify-content: space-between; gap: 16px; align-items: start; z-index: 1; }
.dialog-head h3 { font-size: 16px; }
.dialog-head .facts { color: var(--muted); font-size: 13px; margin-top: 3px; font-variant-numeric: tabular-nums; }
.dialog-body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; padding: 16px 20px 20px; }
@media (max-width: 820px) { .dialog-body { grid-template-columns: minmax(0, 1fr); } }
.pane-title { color: var(--muted); font-size: 12.5px; font-weight: 600; margin: 0 0 6px; }
.text-block { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 14px; line-height: 1.6; background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 0; }
.match { border-left: 3px solid transparent; padding-left: 10px; margin-left: -13px; cursor: pointer; }
.match.current { border-left-color: var(--accent); }
.match + .match { margin-top: 16px; }
.match .where { font-size: 12.5px; color: var(--muted); margin: 0 0 6px; overflow-wrap: anywhere; }
.match .where b { color: var(--ink); font-weight: 600; }
.snippet.cut-start::before { content: "… "; color: var(--faint); }
mark { background: var(--mark); color: var(--mark-ink); border-radius: 2px; padding: 0 1px; }
.more { color: var(--muted); font-size: 13px; margin-top: 12px; }
footer { color: var(--faint); font-size: 12.5px; margin-top: 40px; }
`;
