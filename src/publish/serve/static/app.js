// The page of `publish serve`: plain script, no build step, nothing from the network.
// All text from the server goes in through textContent, never as HTML.
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token") || "";
const LEVELS = ["正文", "一级标题", "二级标题", "三级标题", "四级标题"];
let state = null;
let current = 1; // the page shown large
let pending = 0;

function $(id) { return document.getElementById(id); }

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function status(text, error) {
  $("status").textContent = text;
  $("status").className = error ? "error" : "";
}

function busy(delta) {
  pending += delta;
  document.body.dataset.busy = pending > 0 ? "1" : "0";
  if (pending > 0) status("正在排版…");
}

async function call(method, path, body, headers) {
  busy(1);
  try {
    const init = { method, headers: Object.assign({ "X-Publish-Token": TOKEN }, headers || {}) };
    if (body !== undefined) {
      if (body instanceof Blob) init.body = body;
      else { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
    }
    const response = await fetch(path, init);
    let data = null;
    try { data = await response.json(); } catch (e) { data = { error: await response.text().catch(() => "") }; }
    if (!response.ok) {
      const message = (data && data.error) || `请求被拒绝（${response.status}）`;
      if (response.status === 409) await refresh();
      throw new Error(message);
    }
    return data;
  } finally {
    busy(-1);
  }
}

async function change(path, body) {
  try {
    const data = await call("POST", path, Object.assign({ rev: state ? state.rev : 0 }, body));
    show(data.state || data);
    return data;
  } catch (error) {
    status(error.message, true);
    return null;
  }
}

async function refresh() {
  const response = await fetch("/api/state", { headers: { "X-Publish-Token": TOKEN } });
  if (response.ok) show(await response.json());
  else status("无法连接（请用启动时打开的地址）", true);
}

// --- inputs --------------------------------------------------------------------------------------------
async function upload(files) {
  for (const file of files) {
    try {
      const data = await call("POST", "/api/inputs", file, { "X-File-Name": encodeURIComponent(file.name) });
      show(data);
    } catch (error) {
      status(`“${file.name}”：${error.message}`, true);
      return;
    }
  }
}

function setupInputs() {
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    upload(Array.from(e.dataTransfer.files));
  });
  $("picker").addEventListener("change", (e) => { upload(Array.from(e.target.files)); e.target.value = ""; });
  $("paste-add").addEventListener("click", async () => {
    const text = $("paste").value;
    if (!text.trim()) return;
    const data = await change("/api/paste", { text });
    if (data) $("paste").value = "";
  });
}

// --- drawing -------------------------------------------------------------------------------------------
function show(next) {
  state = next;
  document.body.dataset.rev = String(state.rev);
  const build = state.build;
  if (build.error) status(`排版失败：${build.error}（预览为上一次成功的结果）`, true);
  else if (build.pages) status(`已排好：${build.pages} 页，${build.seconds} 秒`);
  else status("请添加文稿");
  $("input-list").replaceChildren(...state.inputs.map((name) => el("li", { text: name })));
  $("notes").replaceChildren(...state.notes.map((note) => el("li", { text: note })));
  $("out-dir").textContent = state.out_dir;
  $("command").textContent = state.command;
  drawReport();
  drawStructure();
  drawForms();
  drawPreview();
  drawFindings();
  drawDownloads();
}

function drawReport() {
  const box = $("report");
  if (!state.reports.length) {
    if (state.inputs.length) box.replaceChildren(el("p", { class: "empty", text: "可编辑源文本（.md）照原样读入，不做清理。" }));
    return;
  }
  box.replaceChildren(...state.reports.map((report) => {
    const part = el("div", { class: "report-input" }, el("h3", { text: `${report.name}（${report.encoding}）` }));
    for (const line of report.lines) part.append(reportLine(line, report));
    for (const removal of report.removals) {
      const button = removal.kept
        ? el("button", { type: "button", disabled: "", text: "已保留" })
        : el("button", { type: "button", class: "keep", dataset: { id: removal.id }, text: "保留",
                         onclick: () => change("/api/keep", { id: removal.id }) });
      part.append(el("div", { class: "removal", id: `rm-${removal.id}` },
        el("span", { class: "rule", text: `第 ${removal.line} ${report.unit} · ${removal.label}` }),
        el("span", { class: "what", text: removal.removed }), button));
    }
    if (report.others.length) {
      part.append(el("p", { class: "small", text: "其他整理：" +
        report.others.map((o) => `${o.label} ${o.count} 处`).join("，") }));
    }
    if (!report.removals.length && !report.others.length) part.append(el("p", { class: "empty", text: "没有改动。" }));
    return part;
  }));
}

function reportLine(line, report) {
  // the original line around its removals, each removal marked with its rule
  const node = el("div", { class: "report-line" }, el("span", { class: "no", text: `${line.line}` }));
  const text = line.text;
  let at = 0;
  for (const [start, end, id] of line.spans) {
    if (start < at) continue;
    const from = Math.max(at, start - 24);
    if (from > at) node.append(at === 0 ? "…" : " … ");
    node.append(text.slice(from, start));
    const removal = report.removals.find((r) => r.id === id);
    node.append(el("mark", { class: "removed" + (removal && removal.kept ? " kept" : ""),
                             title: removal ? removal.label : "", text: text.slice(start, end) }));
    at = end;
  }
  const tail = text.slice(at, at + 24);
  node.append(tail + (at + 24 < text.length ? "…" : ""));
  return node;
}

function drawStructure() {
  const box = $("structure");
  const structure = state.structure;
  if (!structure) return;
  box.replaceChildren(...structure.speeches.map((speech) => {
    const head = el("div", { class: "speech-head" },
      el("span", { class: "title", text: speech.title.join(" / ") }),
      speech.index > 0 ? el("button", { type: "button", class: "merge", text: "并入上一篇",
        onclick: () => change("/api/structure", { op: "merge", speech: speech.index }) }) : null);
    const node = el("div", { class: "speech", id: `s-${speech.index}` }, head);
    if (speech.speaker) node.append(el("div", { class: "speaker", text: `署名：${speech.speaker}` }));
    for (const block of speech.blocks) node.append(blockRow(speech, block));
    return node;
  }));
}

function blockRow(speech, block) {
  const select = el("select", { class: "level", "aria-label": "级别",
    onchange: (e) => change("/api/structure",
      { op: "level", speech: speech.index, block: block.index, level: Number(e.target.value) }) });
  LEVELS.forEach((label, level) => {
    const option = el("option", { value: String(level), text: label });
    if (level === block.level) option.selected = true;
    select.append(option);
  });
  const row = el("div", { class: `block${block.heading ? " heading h" + block.level : ""}`,
                          id: `b-${speech.index}-${block.index}` },
    select, el("span", { class: "text", text: block.text }),
    el("button", { type: "button", class: "split", title: "从这一段起是新的一篇发言，这一段是它的标题",
      text: "设为新发言标题",
      onclick: () => change("/api/structure", { op: "split", speech: speech.index, block: block.index }) }));
  if (block.index === 0) {
    row.append(el("button", { type: "button", class: "title-line", text: "并入标题",
      onclick: () => change("/api/structure", { op: "title-line", speech: speech.index, block: 0 }) }));
    if (!speech.speaker) {
      row.append(el("button", { type: "button", class: "speaker", text: "设为署名",
        onclick: () => change("/api/structure", { op: "speaker", speech: speech.index, block: 0 }) }));
    }
  }
  return row;
}

function drawForms() {
  const cover = state.structure ? state.structure.cover : null;
  if (cover) {
    for (const key of ["title", "subtitle", "organisation", "date"]) {
      const input = $(`cover-${key}`);
      if (document.activeElement !== input) input.value = cover[key];
    }
  }
  const style = state.style;
  $("style-recto").checked = style.recto;
  $("style-toc").value = String(style.toc_depth);
  $("style-toc-speaker").checked = style.toc_speaker;
  $("style-compress").checked = style.compress_punctuation;
  $(`style-docx-${style.docx_fonts}`).checked = true;
}

function setupForms() {
  $("cover-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const cover = {};
    for (const key of ["title", "subtitle", "organisation", "date"]) cover[key] = $(`cover-${key}`).value;
    change("/api/cover", { cover });
  });
  $("style-form").addEventListener("change", () => {
    const docx = document.querySelector("input[name=docx]:checked");
    change("/api/style", { style: {
      recto: $("style-recto").checked,
      toc_depth: Number($("style-toc").value),
      toc_speaker: $("style-toc-speaker").checked,
      compress_punctuation: $("style-compress").checked,
      docx_fonts: docx ? docx.value : "standard",
    } });
  });
  $("save").addEventListener("click", async () => {
    try {
      const data = await call("POST", "/api/save", {});
      show(data.state);
      $("saved").replaceChildren(...data.saved.map((path) => el("li", { class: "small", text: path })));
      status(`已保存 ${data.saved.length} 个文件`);
    } catch (error) {
      status(error.message, true);
    }
  });
}

function pageUrl(number, size) {
  return `/api/page/${number}?size=${size}&v=${state.build.number}&token=${encodeURIComponent(TOKEN)}`;
}

function drawPreview() {
  const build = state.build;
  if (!build.pages) return;
  current = Math.min(current, build.pages);
  const large = $("large");
  large.onload = () => { large.dataset.build = String(build.number); large.dataset.page = String(current); };
  large.src = pageUrl(current, "large");
  $("pages").textContent = `共 ${build.pages} 页`;
  $("thumbs").replaceChildren(...Array.from({ length: build.pages }, (_, i) => {
    const number = i + 1;
    return el("figure", { class: number === current ? "current" : "", dataset: { page: String(number) },
                          onclick: () => { current = number; drawPreview(); } },
      el("img", { src: pageUrl(number, "thumb"), alt: `第 ${number} 页`, loading: "lazy" }),
      el("figcaption", { text: String(number) }));
  }));
}

function drawFindings() {
  const findings = state.build.findings;
  const list = $("findings");
  if (!findings.length) { list.replaceChildren(el("li", { class: "empty", text: "没有提示。" })); return; }
  list.replaceChildren(...findings.map((finding) => el("li", {
    class: finding.severity, title: finding.line ? `源文本第 ${finding.line} 行` : "",
    onclick: () => reveal(finding) },
    el("span", { class: "label", text: finding.label }), el("span", { text: finding.message }))));
}

function reveal(finding) {
  let target = null;
  if (finding.speech === -2) return;
  if (finding.speech < 0) target = $("cover-card");
  else if (finding.block < 0) target = $(`s-${finding.speech}`);
  else target = $(`b-${finding.speech}-${finding.block}`);
  if (!target) return;
  target.scrollIntoView({ behavior: "smooth", block: "center" });
  target.classList.remove("flash");
  void target.offsetWidth;
  target.classList.add("flash");
}

function drawDownloads() {
  const ready = state.build.pages > 0;
  for (const link of document.querySelectorAll("#downloads a")) {
    const kind = link.dataset.kind;
    link.classList.toggle("disabled", !ready && kind !== "source" || !state.structure);
    link.href = `/api/download/${kind}?v=${state.build.number}-${state.rev}&token=${encodeURIComponent(TOKEN)}`;
    link.setAttribute("download", "");
  }
  $("save").disabled = !state.build.current;
}

document.addEventListener("DOMContentLoaded", () => {
  setupInputs();
  setupForms();
  refresh();
});
