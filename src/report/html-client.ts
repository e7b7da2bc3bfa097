/**
 * The script inlined into the HTML report: the sample table (filter by
 * benchmark and verdict, search, sort by overlap, pages) and the sample view
 * with highlighted matches.
 *
 * Invariants that keep it safe and fast with 100,000 samples:
 * - Data reaches the DOM only through textContent and createElement, never
 *   innerHTML, so a sample holding `</script>` or markup stays text.
 * - Only one page of rows exists in the DOM; the table body and the match list
 *   carry one delegated listener each, not one per row.
 * - Search scans strings lower-cased once (built on the first search), and the
 *   two sort orders are computed once each; a keystroke allocates no per-row
 *   objects.
 * - Every number the page prints about a sample was formatted in Node by
 *   src/report/format.ts and shipped as text, so the browser cannot round
 *   differently from the terminal summary.
 *
 * Plain ES2020 in a string rather than a compiled function: a function's
 * source text differs between tsx and tsc output (and tsx may inject helper
 * calls), and the page must be byte-identical whichever ran it.
 */

/** JavaScript of the report page; it reads its data from `#contam-data`. */
export const REPORT_CLIENT_JS = String.raw`(function () {
  'use strict';
  var GRADE_NAMES = ['clean', 'incidental', 'partial', 'verbatim', 'too short'];
  var TOO_SHORT = 4;
  // The badge's class says whether the rule convicts, its text the grade.
  function verdictClass(i) { return S_.contaminated[i] ? 'contaminated' : S_.verdict[i] === TOO_SHORT ? 'too-short' : 'clean'; }
  var S_ = null;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function count(n) { return n.toLocaleString('en-US'); }

  // Appends text with [start, end) spans (shifted by -offset, clipped to the text) as <mark>s.
  function highlight(target, text, spans, offset) {
    target.textContent = '';
    var at = 0;
    var sorted = spans.slice().sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    for (var k = 0; k < sorted.length; k++) {
      var start = Math.max(sorted[k][0] - offset, at, 0);
      var end = Math.min(sorted[k][1] - offset, text.length);
      if (end <= start) continue;
      if (start > at) target.appendChild(document.createTextNode(text.slice(at, start)));
      target.appendChild(el('mark', '', text.slice(start, end)));
      at = end;
    }
    if (at < text.length) target.appendChild(document.createTextNode(text.slice(at)));
  }

  function init() {
    var data = JSON.parse($('contam-data').textContent);
    var S = data.samples;
    S_ = S;
    var total = S.id.length;
    var details = new Map();
    for (var d = 0; d < data.details.length; d++) details.set(data.details[d].i, data.details[d]);

    var state = { bench: -1, verdict: -1, query: '', descending: true, page: 0 };
    var orders = { desc: null, asc: null };
    var haystack = null;
    var rows = new Int32Array(total);
    var rowCount = 0;

    function order() {
      var key = state.descending ? 'desc' : 'asc';
      if (orders[key] === null) {
        var idx = new Int32Array(total);
        for (var i = 0; i < total; i++) idx[i] = i;
        var sign = state.descending ? -1 : 1;
        // By grade (too short below clean), then overlap; ties keep report order (benchmark, then row) in both directions.
        var rank = function (i) { return S.verdict[i] === TOO_SHORT ? -1 : S.verdict[i]; };
        idx.sort(function (a, b) { return sign * (rank(a) - rank(b) || S.overlap[a] - S.overlap[b]) || a - b; });
        orders[key] = idx;
      }
      return orders[key];
    }

    function apply() {
      var idx = order();
      var q = state.query;
      if (q && haystack === null) {
        haystack = new Array(total);
        for (var h = 0; h < total; h++) haystack[h] = (S.id[h] + '\n' + S.text[h]).toLowerCase();
      }
      var k = 0;
      for (var j = 0; j < total; j++) {
        var i = idx[j];
        if (state.bench >= 0 && S.bench[i] !== state.bench) continue;
        if (state.verdict >= 0 && S.verdict[i] !== state.verdict) continue;
        if (state.verdict === -2 && !S.contaminated[i]) continue;
        if (q && haystack[i].indexOf(q) < 0) continue;
        rows[k++] = i;
      }
      rowCount = k;
      render();
    }

    function cell(tr, text, className) {
      var td = el('td', className, text);
      tr.appendChild(td);
      return td;
    }

    function render() {
      var size = data.pageSize;
      var pages = Math.max(1, Math.ceil(rowCount / size));
      if (state.page >= pages) state.page = pages - 1;
      var from = state.page * size;
      var to = Math.min(rowCount, from + size);
      var body = $('sample-rows');
      var fragment = document.createDocumentFragment();
      for (var r = from; r < to; r++) {
        var i = rows[r];
        var tr = el('tr');
        tr.dataset.i = String(i);
        tr.tabIndex = 0;
        cell(tr, data.benchmarks[S.bench[i]]);
        cell(tr, String(S.row[i]), 'n');
        cell(tr, S.id[i], 'mono').title = S.id[i];
        cell(tr, '').appendChild(el('span', 'verdict ' + verdictClass(i), GRADE_NAMES[S.verdict[i]]));
        cell(tr, S.overlapText[i], 'n');
        cell(tr, String(S.longest[i]), 'n');
        cell(tr, String(S.documents[i]), 'n');
        cell(tr, S.text[i].slice(0, 200).replace(/\s+/g, ' '));
        fragment.appendChild(tr);
      }
      if (rowCount === 0) {
        var none = el('tr');
        var td = el('td', 'empty', 'No sample matches these filters.');
        td.colSpan = 8;
        none.appendChild(td);
        fragment.appendChild(none);
      }
      body.replaceChildren(fragment);
      $('sample-status').textContent = rowCount === 0
        ? 'No samples of ' + count(total)
        : 'Showing ' + count(from + 1) + '–' + count(to) + ' of ' + count(rowCount) + (rowCount === total ? ' samples' : ' matching samples (of ' + count(total) + ')');
      $('page-label').textContent = 'Page ' + count(state.page + 1) + ' of ' + count(pages);
      $('page-prev').disabled = state.page === 0;
      $('page-next').disabled = state.page >= pages - 1;
      var sortButton = $('sort-overlap');
      sortButton.textContent = state.descending ? 'Grade, overlap ↓' : 'Grade, overlap ↑';
      sortButton.parentElement.setAttribute('aria-sort', state.descending ? 'descending' : 'ascending');
    }

    function showMatch(detail, k) {
      var i = detail.i;
      var match = detail.matches[k];
      highlight($('detail-sample'), S.text[i], match.sample_spans, 0);
      $('detail-sample-title').textContent = 'Sample text, words found in match ' + (k + 1) + ' highlighted';
      var items = $('detail-matches').children;
      for (var m = 0; m < items.length; m++) items[m].classList.toggle('current', m === k);
    }

    function open(i) {
      $('detail-title').textContent = data.benchmarks[S.bench[i]] + ' · row ' + S.row[i] + (S.id[i] !== String(S.row[i]) ? ' · id ' + S.id[i] : '');
      var verdict = $('detail-verdict');
      verdict.className = 'verdict ' + verdictClass(i);
      verdict.textContent = GRADE_NAMES[S.verdict[i]] + (S.contaminated[i] ? ' (contaminated)' : '');
      var detail = details.get(i);
      var list = $('detail-matches');
      list.replaceChildren();
      if (detail === undefined) {
        $('detail-facts').textContent = 'overlap ' + S.overlapText[i] + ' · longest run ' + S.longest[i] + ' ' + data.unit + 's · ' + S.documents[i] + ' documents';
        $('detail-sample-title').textContent = 'Sample text';
        $('detail-sample').textContent = S.text[i];
        list.appendChild(el('p', 'more', 'No corpus document shares a verified shingle with this sample.'));
      } else {
        $('detail-facts').textContent = detail.facts;
        for (var k = 0; k < detail.matches.length; k++) {
          var match = detail.matches[k];
          var item = el('div', 'match');
          item.dataset.k = String(k);
          var where = el('p', 'where');
          where.appendChild(el('b', '', data.files[match.file]));
          where.appendChild(document.createTextNode(' · row ' + match.row + (match.doc_id === null ? '' : ' · doc ' + match.doc_id)));
          where.appendChild(el('br'));
          where.appendChild(document.createTextNode(match.facts));
          item.appendChild(where);
          var snippet = el('pre', 'text-block snippet' + (match.snippet_start > 0 ? ' cut-start' : ''));
          highlight(snippet, match.snippet, match.spans, match.snippet_start);
          item.appendChild(snippet);
          list.appendChild(item);
        }
        if (S.documents[i] > detail.matches.length) {
          list.appendChild(el('p', 'more', detail.matches.length + ' of ' + S.documents[i] + ' matching documents are listed in the report.'));
        }
        showMatch(detail, 0);
      }
      var dialog = $('sample-dialog');
      dialog.dataset.i = String(i);
      if (!dialog.open) dialog.showModal();
      dialog.scrollTop = 0;
    }

    $('filter-benchmark').addEventListener('change', function (e) { state.bench = Number(e.target.value); state.page = 0; apply(); });
    $('filter-verdict').addEventListener('change', function (e) { state.verdict = Number(e.target.value); state.page = 0; apply(); });
    $('filter-search').addEventListener('input', function (e) { state.query = e.target.value.trim().toLowerCase(); state.page = 0; apply(); });
    $('sort-overlap').addEventListener('click', function () { state.descending = !state.descending; state.page = 0; apply(); });
    $('page-prev').addEventListener('click', function () { state.page--; render(); });
    $('page-next').addEventListener('click', function () { state.page++; render(); });
    var body = $('sample-rows');
    body.addEventListener('click', function (e) {
      var tr = e.target.closest('tr[data-i]');
      if (tr) open(Number(tr.dataset.i));
    });
    body.addEventListener('keydown', function (e) {
      var tr = e.target.closest('tr[data-i]');
      if (tr && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); open(Number(tr.dataset.i)); }
    });
    $('detail-matches').addEventListener('click', function (e) {
      var item = e.target.closest('.match');
      var detail = details.get(Number($('sample-dialog').dataset.i));
      if (item && detail) showMatch(detail, Number(item.dataset.k));
    });
    $('detail-close').addEventListener('click', function () { $('sample-dialog').close(); });
    $('sample-dialog').addEventListener('click', function (e) { if (e.target === e.currentTarget) e.currentTarget.close(); });

    // Filters the browser restored (back/forward, reload) take effect too.
    state.bench = Number($('filter-benchmark').value);
    state.verdict = Number($('filter-verdict').value);
    state.query = $('filter-search').value.trim().toLowerCase();
    apply();
    document.body.dataset.ready = 'true';
    // For bench/html.bench.ts: when the table became usable.
    performance.mark('contam-ready');
  }

  // Let the static summary paint before the sample data is parsed.
  requestAnimationFrame(function () { setTimeout(init, 0); });
})();
`;
