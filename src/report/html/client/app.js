/* The report page: charts (ECharts) and the error browser, drawn from the JSON data block.
 * Every string from the data is untrusted (model answers, prompts, file names): it reaches the page
 * only through textContent, option text or canvas-drawn chart labels, never through innerHTML. */
/* global echarts, Diff, vlmhbUnpackAnswers */
(() => {
  performance.mark('vlmhb-start');
  const data = JSON.parse(document.getElementById('report-data').textContent);
  performance.mark('vlmhb-parsed');
  const A = vlmhbUnpackAnswers(data.answers);
  const S = A.strings;
  const tasks = data.tasks;
  const N = A.task.length;
  const ROW_H = 88;

  const el = (tag, cls, text) => {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  };
  const fmt = (v, d) => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : Number(v).toFixed(d));
  // Tasks are numbered by leaderboard rank everywhere (table, legends, rows).
  const rankOf = new Map(data.leaderboard.map((ti, r) => [ti, r + 1]));
  const taskName = (i) => `${rankOf.get(i)}. ${tasks[i].short}`;
  const taskLong = (i) => `${rankOf.get(i)}. ${tasks[i].label}`;
  const cerOf = (t) =>
    t.overallWithErrors && typeof t.overallWithErrors.cer === 'number'
      ? t.overallWithErrors.cer
      : typeof t.overall.cer === 'number'
        ? t.overall.cer
        : null;
  const sortedKeys = (objs) => {
    const set = new Set();
    for (const o of objs) for (const k of Object.keys(o)) set.add(k);
    return [...set].sort((a, b) => a.localeCompare(b, 'ru'));
  };

  // ---------- error browser ----------
  const $ = (id) => document.getElementById(id);
  const fill = (select, values, label) => {
    for (const v of values) {
      const o = document.createElement('option');
      o.value = String(v);
      o.textContent = label(v);
      select.appendChild(o);
    }
  };
  const uniq = (col) =>
    [...new Set(col)].sort((a, b) => S[a].localeCompare(S[b], 'ru')).filter((v) => v !== undefined);
  fill($('f-task'), data.leaderboard, taskLong);
  fill($('f-doctype'), uniq(A.docType), (v) => S[v]);
  fill($('f-field'), uniq(A.field), (v) => S[v]);
  fill($('f-split'), uniq(A.split), (v) => S[v] || '(none)');

  const state = { sort: null, dir: 1 };
  let rows = new Int32Array(0);
  const wrong = (i) => A.error[i] !== null || A.exact[i] !== 1;

  const applyFilters = () => {
    const started = performance.now();
    const ft = $('f-task').value;
    const fd = $('f-doctype').value;
    const ff = $('f-field').value;
    const fs = $('f-split').value;
    const onlyWrong = $('f-wrong').checked;
    const text = $('f-text').value.trim().toLowerCase();
    const t = ft === '' ? -1 : Number(ft);
    const d = fd === '' ? -1 : Number(fd);
    const f = ff === '' ? -1 : Number(ff);
    const s = fs === '' ? -1 : Number(fs);
    const out = new Int32Array(N);
    let n = 0;
    for (let i = 0; i < N; i++) {
      if (t >= 0 && A.task[i] !== t) continue;
      if (d >= 0 && A.docType[i] !== d) continue;
      if (f >= 0 && A.field[i] !== f) continue;
      if (s >= 0 && A.split[i] !== s) continue;
      if (onlyWrong && !wrong(i)) continue;
      if (text) {
        const hay = `${A.answer[i] || ''}\u0000${A.expected[i] || ''}\u0000${S[A.doc[i]]}`.toLowerCase();
        if (!hay.includes(text)) continue;
      }
      out[n++] = i;
    }
    rows = out.slice(0, n);
    sortRows();
    $('row-count').textContent = `${n} of ${N} answers`;
    $('eb-spacer').style.height = `${n * ROW_H}px`;
    $('eb-viewport').style.height = `${Math.min(620, Math.max(ROW_H, n * ROW_H) + 2)}px`;
    $('eb-viewport').scrollTop = 0;
    render(true);
    // The page's own time for a filter change, for bench/report.ts.
    performance.measure('vlmhb-filter', { start: started });
  };

  const sortKey = {
    cer: (i) => A.cer[i],
    anls: (i) => A.anls[i],
    latency: (i) => A.latencyMs[i],
    task: (i) => A.task[i],
  };
  const sortRows = () => {
    if (!state.sort) return;
    const key = sortKey[state.sort];
    const dir = state.dir;
    const arr = Array.from(rows);
    arr.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      if (x === null && y === null) return a - b;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x - y) * dir || a - b;
    });
    rows = Int32Array.from(arr);
  };
  for (const h of document.querySelectorAll('#eb-head .sortable')) {
    h.addEventListener('click', () => {
      const k = h.dataset.sort;
      if (state.sort === k) state.dir = -state.dir;
      else {
        state.sort = k;
        state.dir = k === 'anls' ? 1 : -1;
      }
      for (const o of document.querySelectorAll('#eb-head .sortable')) o.classList.remove('asc', 'desc');
      h.classList.add(state.dir > 0 ? 'asc' : 'desc');
      sortRows();
      render(true);
    });
  }

  const diffLine = (expected, answer) => {
    const line = el('div', 'diff-line');
    line.appendChild(el('span', 'lbl', 'ans'));
    for (const part of Diff.diffChars(expected, answer)) {
      if (part.added) line.appendChild(el('ins', 'd', part.value));
      else if (part.removed) line.appendChild(el('del', 'd', part.value));
      else line.appendChild(document.createTextNode(part.value));
    }
    return line;
  };

  const rowNode = (i, k) => {
    const row = el('div', 'eb-row');
    row.style.top = `${k * ROW_H}px`;
    row.dataset.index = String(i);
    const cImg = el('div', 'c-img');
    const img = A.image[i] >= 0 ? data.images[A.image[i]] : null;
    // An image with an enlarged view has no thumbnail: the view is drawn small (read at the end of the file).
    const src = img ? img.thumb || (fullImages ? fullImages[A.image[i]] : null) : null;
    if (src) {
      const t = el('img');
      t.decoding = 'async';
      t.src = src;
      t.alt = img.name;
      t.title = img.name;
      t.addEventListener('click', () => openLightbox(i));
      cImg.appendChild(t);
    } else cImg.appendChild(el('span', 'muted', img?.hasFull ? 'loading…' : 'no image'));
    row.appendChild(cImg);
    const cTask = el('div', 'c-task');
    cTask.appendChild(el('div', 'task-label', taskLong(A.task[i])));
    cTask.appendChild(el('div', null, S[A.doc[i]]));
    cTask.appendChild(
      el(
        'div',
        'muted',
        `${S[A.docType[i]]} · ${S[A.field[i]]}${S[A.split[i]] ? ` · ${S[A.split[i]]}` : ''}`,
      ),
    );
    row.appendChild(cTask);
    row.appendChild(el('div', 'c-prompt clamp', S[A.prompt[i]]));
    const cDiff = el('div', 'c-diff');
    const exp = A.expected[i];
    const expLine = el('div', 'diff-line');
    const refs = A.references[i];
    if (refs) {
      // Several acceptable answers: the one shown is the one scored against (matched_reference).
      const m = A.matched[i];
      const lbl = el('span', 'lbl', m === null ? `exp ·${refs.length}` : `exp ${m + 1}/${refs.length}`);
      lbl.title = `accepted answers: ${refs.join(' | ')}`;
      expLine.appendChild(lbl);
    } else expLine.appendChild(el('span', 'lbl', 'exp'));
    expLine.appendChild(document.createTextNode(exp === null ? 'n/a' : exp));
    cDiff.appendChild(expLine);
    if (A.error[i] !== null) {
      const e = el('div', 'diff-line err');
      e.appendChild(el('span', 'lbl', 'err'));
      e.appendChild(document.createTextNode(A.error[i]));
      cDiff.appendChild(e);
    } else if (exp !== null) cDiff.appendChild(diffLine(exp, A.answer[i] || ''));
    else {
      const a = el('div', 'diff-line');
      a.appendChild(el('span', 'lbl', 'ans'));
      a.appendChild(document.createTextNode(A.answer[i] || ''));
      cDiff.appendChild(a);
    }
    row.appendChild(cDiff);
    row.appendChild(el('div', 'c-num c-cer', fmt(A.cer[i], 3)));
    row.appendChild(el('div', 'c-num c-anls', fmt(A.anls[i], 3)));
    const ms = el('div', 'c-num c-ms', fmt(A.latencyMs[i], 0));
    if (A.fromCache[i]) {
      const c = el('div', 'cache-mark', 'cache');
      c.title = 'from the answer cache: the latency of the original request, not of this run';
      ms.appendChild(c);
    }
    row.appendChild(ms);
    return row;
  };

  // Only the rows in view (plus a margin) exist in the DOM: 100,000 answers cost as much as 30.
  const viewport = $('eb-viewport');
  const spacer = $('eb-spacer');
  let shown = [-1, -1];
  const render = (force) => {
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_H) - 6);
    const last = Math.min(rows.length, Math.ceil((viewport.scrollTop + viewport.clientHeight) / ROW_H) + 6);
    if (!force && first === shown[0] && last === shown[1]) return;
    shown = [first, last];
    const frag = document.createDocumentFragment();
    frag.appendChild(spacer);
    for (let k = first; k < last; k++) frag.appendChild(rowNode(rows[k], k));
    viewport.replaceChildren(frag);
  };
  let pending = false;
  viewport.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      render(false);
    });
  });
  for (const id of ['f-task', 'f-doctype', 'f-field', 'f-split', 'f-wrong'])
    $(id).addEventListener('change', applyFilters);
  let typing;
  $('f-text').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(applyFilters, 150);
  });

  // ---------- lightbox: the enlarged image with the field's box ----------
  const lb = $('lightbox');
  // The enlarged views are most of the file and come after the app: read once the document is parsed.
  let fullImages = null;
  let open = -1;
  const openLightbox = (i) => {
    open = i;
    const img = data.images[A.image[i]];
    const full = fullImages ? fullImages[A.image[i]] : null;
    $('lb-img').src = full || img.thumb;
    const box = $('lb-box');
    const b = A.bbox[i];
    if (b && img.width && img.height) {
      box.hidden = false;
      box.style.left = `${(100 * b[0]) / img.width}%`;
      box.style.top = `${(100 * b[1]) / img.height}%`;
      box.style.width = `${(100 * (b[2] - b[0])) / img.width}%`;
      box.style.height = `${(100 * (b[3] - b[1])) / img.height}%`;
    } else box.hidden = true;
    $('lb-caption').textContent =
      `${img.name} · ${S[A.field[i]]}${b ? '' : ' (no box in the annotation)'}${full ? '' : ' (thumbnail only)'}`;
    lb.hidden = false;
  };
  const closeLightbox = () => {
    lb.hidden = true;
    open = -1;
  };
  $('lb-close').addEventListener('click', closeLightbox);
  lb.addEventListener('click', (ev) => {
    if (ev.target === lb) closeLightbox();
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') closeLightbox();
  });

  performance.mark('vlmhb-data');
  applyFilters();
  performance.mark('vlmhb-rows');
  // Charts after the first rows: ECharts is the page's last script, so the error browser is usable
  // before it is even compiled; DOMContentLoaded fires once it has run.
  const whenParsed = (fn) =>
    document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', fn) : fn();
  whenParsed(() => {
    fullImages = JSON.parse($('report-full-images').textContent);
    render(true);
    if (open >= 0) openLightbox(open);
    performance.mark('vlmhb-images');
    // One chart per task of the event loop, so a click or a filter change is not kept waiting.
    const todo = drawCharts();
    const next = () => {
      const c = todo.shift();
      if (!c) {
        performance.mark('vlmhb-charts');
        document.body.dataset.ready = '1';
        return;
      }
      c();
      setTimeout(next, 0);
    };
    setTimeout(next, 0);
  });

  function drawCharts() {
    // ---------- charts ----------
    const charts = [];
    const todo = [];
    const base = {
      animation: false,
      // richText tooltips are drawn on the canvas: no HTML is built from data.
      tooltip: { renderMode: 'richText', confine: true },
      grid: { left: 56, right: 24, top: 56, bottom: 56, containLabel: true },
    };
    const chart = (id, option) => {
      const node = document.getElementById(id);
      if (!node) return;
      todo.push(() => {
        const c = echarts.init(node, null, { renderer: 'canvas' });
        c.setOption({ ...base, ...option });
        charts.push(c);
      });
    };
    const legend = { type: 'scroll', top: 0, textStyle: { width: 170, overflow: 'truncate' } };

    const fields = sortedKeys(tasks.map((t) => t.byField));
    const cerMax = Math.max(
      0.01,
      ...tasks.flatMap((t) =>
        fields.map((f) => (t.byField[f] && typeof t.byField[f].cer === 'number' ? t.byField[f].cer : 0)),
      ),
    );
    const heat = [];
    // Best task at the top: a category y axis runs bottom to top.
    const yOrder = [...data.leaderboard].reverse();
    yOrder.forEach((ti, y) => {
      fields.forEach((f, x) => {
        const g = tasks[ti].byField[f];
        if (g && typeof g.cer === 'number') heat.push([x, y, Math.round(g.cer * 1000) / 1000]);
      });
    });
    const heatNode = document.getElementById('chart-heatmap');
    if (heatNode) heatNode.style.height = `${Math.max(260, 200 + tasks.length * 44)}px`;
    chart('chart-heatmap', {
      tooltip: { ...base.tooltip, position: 'top' },
      grid: { ...base.grid, top: 10, right: 90, bottom: 10 },
      xAxis: { type: 'category', data: fields, axisLabel: { rotate: 35, fontSize: 10 } },
      yAxis: {
        type: 'category',
        data: yOrder.map((ti) => taskName(ti)),
        axisLabel: { fontSize: 11, width: 200, overflow: 'truncate' },
      },
      visualMap: {
        min: 0,
        max: cerMax,
        calculable: true,
        orient: 'vertical',
        right: 0,
        top: 'middle',
        itemHeight: 120,
        precision: 2,
        text: ['CER', ''],
        inRange: { color: ['#e8f5e9', '#ffe082', '#e53935'] },
      },
      series: [
        {
          type: 'heatmap',
          data: heat,
          label: { show: fields.length <= 24 && tasks.length <= 16, fontSize: 10 },
        },
      ],
    });

    const barsBy = (id, key) => {
      const cats = sortedKeys(tasks.map((t) => t[key]));
      chart(id, {
        legend,
        tooltip: { ...base.tooltip, trigger: 'axis' },
        xAxis: { type: 'category', data: cats, axisLabel: { rotate: cats.length > 6 ? 30 : 0 } },
        yAxis: { type: 'value', name: 'CER' },
        series: data.leaderboard.map((i) => {
          const g = tasks[i][key];
          return {
            type: 'bar',
            name: taskName(i),
            data: cats.map((c) => (g[c] && typeof g[c].cer === 'number' ? g[c].cer : null)),
          };
        }),
      });
    };
    barsBy('chart-doctype', 'byDocType');
    barsBy('chart-split', 'bySplit');

    const allLatency = tasks.flatMap((t) => t.latencyCdf.map((p) => p[0]));
    const logOk = allLatency.length > 0 && allLatency.every((x) => x > 0);
    chart('chart-latency', {
      legend,
      tooltip: { ...base.tooltip, trigger: 'item' },
      xAxis: { type: logOk ? 'log' : 'value', name: 's / doc', nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', name: 'share of documents', min: 0, max: 1 },
      series: data.leaderboard
        .map((i) => ({ t: tasks[i], i }))
        .map(({ t, i }) => ({
          type: 'line',
          name: taskName(i),
          step: 'end',
          showSymbol: false,
          data: t.latencyCdf.map((p) => [p[0] / 1000, p[1]]),
          markPoint: t.docLatencyMs
            ? {
                symbol: 'circle',
                symbolSize: 8,
                label: { position: 'right', formatter: '{b}', fontSize: 10 },
                data: [
                  ['p50', t.docLatencyMs.p50, 0.5],
                  ['p90', t.docLatencyMs.p90, 0.9],
                  ['p99', t.docLatencyMs.p99, 0.99],
                ].map(([name, ms, q]) => ({ name, coord: [Math.max(ms / 1000, 1e-6), q] })),
              }
            : undefined,
        })),
    });

    const gpuMax = Math.max(0, ...tasks.map((t) => t.gpuMemoryGb || 0));
    const pts = tasks
      .map((t, i) => ({ i, s: t.secondsPerDoc, cer: cerOf(t), gpu: t.gpuMemoryGb }))
      .filter((p) => p.s !== null && p.cer !== null);
    const front = pts.filter((p) => data.pareto.includes(p.i)).sort((a, b) => a.s - b.s);
    const sizeOf = (gpu) => (gpuMax > 0 && gpu ? 10 + (30 * gpu) / gpuMax : 14);
    chart('chart-pareto', {
      legend,
      xAxis: {
        type: pts.every((p) => p.s > 0) ? 'log' : 'value',
        name: 's / doc',
        nameLocation: 'middle',
        nameGap: 28,
      },
      yAxis: { type: 'value', name: '1 − CER', max: 1, scale: true },
      series: [
        {
          type: 'scatter',
          name: 'tasks',
          data: pts.map((p) => ({
            name: `${taskName(p.i)} · GPU ${p.gpu === null ? 'n/a' : `${p.gpu.toFixed(1)} GB`}`,
            value: [p.s, 1 - p.cer],
            symbolSize: sizeOf(p.gpu),
          })),
          label: { show: pts.length <= 12, formatter: (x) => String(x.dataIndex + 1), position: 'top' },
          itemStyle: { opacity: 0.75 },
        },
        {
          type: 'line',
          name: 'Pareto front',
          symbol: 'diamond',
          symbolSize: 14,
          lineStyle: { type: 'dashed' },
          data: front.map((p) => ({ name: taskName(p.i), value: [p.s, 1 - p.cer] })),
        },
      ],
    });

    if (data.sweeps.length > 0) {
      chart('chart-sweep', {
        legend,
        tooltip: { ...base.tooltip, trigger: 'item' },
        xAxis: {
          type: 'value',
          name: data.sweeps[0].kind === 'long_side' ? 'long side, px' : 'max pixels',
          nameLocation: 'middle',
          nameGap: 28,
          scale: true,
        },
        yAxis: { type: 'value', name: 'CER' },
        series: data.sweeps.map((s) => ({
          type: 'line',
          name: s.label,
          data: s.points.map((p) => [p.value, p.cer]),
        })),
      });
    }

    data.promptComparisons.forEach((p, k) => {
      const fs = sortedKeys(p.tasks.map((i) => tasks[i].byField));
      chart(`chart-prompts-${k}`, {
        legend,
        tooltip: { ...base.tooltip, trigger: 'axis' },
        grid: { ...base.grid, bottom: 80 },
        xAxis: { type: 'category', data: fs, axisLabel: { rotate: 35, fontSize: 10 } },
        yAxis: { type: 'value', name: 'CER' },
        series: p.tasks.map((i) => ({
          type: 'bar',
          name: tasks[i].promptCollection || '(dataset questions)',
          data: fs.map((f) =>
            tasks[i].byField[f] && typeof tasks[i].byField[f].cer === 'number'
              ? tasks[i].byField[f].cer
              : null,
          ),
        })),
      });
    });
    window.addEventListener('resize', () => {
      for (const c of charts) c.resize();
    });
    return todo;
  }
})();
