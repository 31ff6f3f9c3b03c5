// taizhang: the few behaviours pages need beyond HTML. No inline scripts anywhere (the
// Content-Security-Policy forbids them); data comes in <script type="application/json">.
"use strict";

// ---- upload with progress and per-file results (文件库) ----
function setupUpload() {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("file-input");
  const drop = document.getElementById("drop");
  const bar = document.getElementById("upload-progress");
  const results = document.getElementById("upload-results");
  const STATUS = { new: "已入库", unchanged: "已存在（内容相同）", reextracted: "已重新抽取", skipped: "已跳过", failed: "失败" };

  function send(files) {
    if (!files || files.length === 0) return;
    const data = new FormData();
    for (const f of files) data.append("file", f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/documents");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", csrfToken());
    bar.hidden = false; bar.value = 0;
    results.textContent = "";
    // data-done marks this upload's results (tests wait for it), never the previous one's.
    delete results.dataset.done;
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
    // Sent: the server now reads and extracts, for which there is no measure.
    xhr.upload.onload = () => bar.removeAttribute("value");
    xhr.onloadend = () => { bar.hidden = true; };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      if (xhr.status === 200 && body && body.files) {
        for (const f of body.files) {
          const li = document.createElement("li");
          li.className = f.status;
          const name = document.createElement(f.id ? "a" : "span");
          if (f.id) name.href = "/documents/" + f.id;
          name.textContent = f.name;
          li.append(name, "：" + (STATUS[f.status] || f.status));
          if (f.facts != null) li.append("，抽取指标 " + f.facts + " 条");
          if (f.message) li.append("（" + f.message + "）");
          results.append(li);
        }
        results.dataset.done = "1";
        setTimeout(() => { if (body.files.some((f) => f.status === "new" || f.status === "reextracted")) refreshList(); }, 300);
      } else {
        const li = document.createElement("li");
        li.className = "failed";
        li.textContent = "上传失败：" + (body && body.error ? body.error.message : xhr.status === 413 ? "文件太大" : "HTTP " + xhr.status);
        results.append(li);
        results.dataset.done = "1";
      }
    };
    xhr.onerror = () => {
      const li = document.createElement("li");
      li.className = "failed"; li.textContent = "上传失败：无法连接服务器";
      results.append(li);
      results.dataset.done = "1";
    };
    xhr.send(data);
  }

  // Reload the listing below the results without losing them.
  function refreshList() {
    fetch(location.href, { headers: { Accept: "text/html" } })
      .then((r) => r.text())
      .then((html) => {
        const doc = new DOMParser().parseFromString(html, "text/html");
        const fresh = doc.getElementById("documents");
        const old = document.getElementById("documents");
        const empty = document.querySelector("main > p.empty");
        if (fresh && old) old.replaceWith(fresh);
        else if (fresh && empty) empty.replaceWith(fresh);
      })
      .catch(() => {});
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); send(input.files); });
  input.addEventListener("change", () => send(input.files));
  ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add("over"); }));
  ["dragleave", "drop"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
  drop.addEventListener("drop", (e) => send(e.dataTransfer.files));
}

// ---- charts: 对标 and a region's indicators ----
// The data comes as JSON beside the chart: {unit, years, series: [{name, region, kind, data}]}.
function drawChart(el, d) {
  if (!d || typeof echarts === "undefined") return;
  const chart = echarts.init(el, null, { renderer: "canvas" });
  // One colour per region: its results solid, its targets dashed with hollow points. The
  // points are large because a region often has a single year of each kind.
  const palette = ["#5470c6", "#ee6666", "#91cc75", "#fac858", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"];
  const regions = [...new Set(d.series.map((s) => s.region))];
  const colour = (s) => palette[regions.indexOf(s.region) % palette.length];
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: { left: 60, right: 30, top: 50, bottom: 40 },
    xAxis: { type: "category", data: d.years },
    yAxis: { type: "value", name: d.unit || "", scale: true },
    series: d.series.map((s) => ({
      name: s.name, type: "line", data: s.data, connectNulls: true, color: colour(s),
      lineStyle: { type: s.kind === "target" ? "dashed" : "solid", width: 2 },
      symbol: s.kind === "target" ? "emptyCircle" : "circle", symbolSize: 10, showSymbol: true,
    })),
  });
  el.dataset.ready = "1";
  window.addEventListener("resize", () => chart.resize());
}

function setupChart() {
  const el = document.getElementById("chart");
  const dataEl = document.getElementById("chart-data");
  if (el && dataEl) drawChart(el, JSON.parse(dataEl.textContent));
}

// A region's indicators: each chart is drawn when its section is first opened.
function setupTrackCharts() {
  for (const details of document.querySelectorAll("details.track")) {
    const draw = () => {
      const el = details.querySelector(".track-chart");
      const dataEl = details.querySelector("script.chart-json");
      if (details.open && el && dataEl && !el.dataset.ready) drawChart(el, JSON.parse(dataEl.textContent));
    };
    details.addEventListener("toggle", draw);
    draw();
  }
}

// ---- a document: scroll the linked fact into view and focus it ----
function focusTarget() {
  if (!location.hash) return;
  const el = document.getElementById(location.hash.slice(1));
  if (el && el.matches("mark")) el.focus({ preventScroll: false });
}

// ---- a document: each fact's tooltip opens towards the side with room for it ----
function setupTips() {
  const text = document.getElementById("doctext");
  if (!text) return;
  const place = (e) => {
    const mark = e.target.closest ? e.target.closest("mark.fact[data-tip]") : null;
    if (!mark) return;
    // The tooltip is the mark's ::after, shown by :hover and :focus; its padding is 1rem.
    const width = (parseFloat(getComputedStyle(mark, "::after").width) || 320) + 16;
    const first = mark.getClientRects()[0] || mark.getBoundingClientRect();
    mark.classList.toggle("tip-end", first.left + width > document.documentElement.clientWidth - 8);
  };
  text.addEventListener("mouseover", place);
  text.addEventListener("focusin", place);
}

// The session's CSRF token, which every request that changes something echoes.
function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

// ---- a document: delete it, after asking ----
function setupDelete() {
  const button = document.getElementById("delete-document");
  if (!button) return;
  button.addEventListener("click", () => {
    if (!confirm("删除《" + button.dataset.title + "》及其抽取的全部指标？此操作不能撤销。")) return;
    fetch(button.dataset.url, {
      method: "DELETE",
      headers: { Accept: "application/json", "X-CSRF-Token": csrfToken() },
    })
      .then((r) => {
        if (r.status === 204) location.assign("/documents");
        else return r.json().then((b) => alert("删除失败：" + (b.error ? b.error.message : r.status)));
      })
      .catch(() => alert("删除失败：无法连接服务器"));
  });
}

// ---- forms that change something irreversibly ask first (data-confirm) ----
function setupConfirm() {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (e) => {
      if (!confirm(form.dataset.confirm)) e.preventDefault();
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  setupConfirm();
  setupDelete();
  setupUpload();
  setupChart();
  setupTrackCharts();
  setupTips();
  focusTarget();
});
