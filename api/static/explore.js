// The explore page: search a name, draw its neighbourhood in layers, click for details, expand;
// review an alignment link (both items' text side by side, the evidence marked) and, when the
// server was started with --allow-curation, confirm, reject or add links; a plan's coverage
// as a heatmap.
// Plain browser JavaScript on purpose (no build step); cytoscape and cytoscape-dagre are served
// from npm's copies. Colours and captions come from /browser/style.json, the same source as the
// Browser's GraSS.
(function () {
  "use strict";

  const state = {
    style: null,
    cy: null,
    selected: null,
    details: new Map(),
    curation: null, // {token, header, decisions_file, applies} when the server allows it
  };
  const $ = (sel) => document.querySelector(sel);

  // What an analyst reads instead of the property keys, in the order they read them.
  const FIELD_NAMES = {
    number: "编号",
    title: "标题",
    name: "名称",
    caption: "简称",
    full_name: "全称",
    plan_id: "所属计划",
    action_order: "所属行动（序号）",
    order: "序号",
    agencies: "责任单位",
    lines: "原文行",
    text: "原文",
    doc_number: "文号",
    issuer: "发文机关",
    level: "层级",
    region: "地区",
    issued_on: "印发日期",
    period: "期限",
    overview: "概述",
    kind: "类别",
    aliases: "别称",
    government: "所属政府",
    function: "职能",
    tier: "层级",
    groupings: "产业集群",
    metric: "指标",
    comparator: "比较",
    value: "数值",
    value_max: "上限",
    unit: "单位",
    year: "年份",
    subject: "主体",
    hedged: "约数",
    raw: "原文表述",
    scope: "范围",
    scope_ref: "范围编号",
    position: "位置",
    source_file: "源文件",
    encoding: "编码",
    doc_key: "文号（规范）",
    stub: "仅引用",
    id: "标识 ID",
  };
  const FIELD_ORDER = Object.keys(FIELD_NAMES);
  // Shown as one line ("第 74–107 行") or implied by another field.
  const HIDDEN_FIELDS = new Set(["line_start", "line_end", "period_start", "period_end", "label"]);
  const LEVEL_NAMES = {
    national: "国家级",
    province: "省级",
    city: "市级",
    district: "区级",
    town: "镇级",
  };
  const LEVEL_RANK = { national: 5, province: 4, city: 3, district: 2, town: 1 };
  const ROLE_NAMES = { lead: "牵头", co: "配合", support: "支持" };
  const ITEM_LABELS = new Set(["Task", "Action", "Goal", "Measure"]);
  // Within a layer or a list: plans, then their goals, groups, tasks and measures, then the rest.
  const LABEL_ORDER = {
    Plan: 0,
    Goal: 1,
    Action: 2,
    Task: 3,
    Measure: 4,
    Indicator: 5,
    Agency: 6,
    Region: 7,
    Industry: 8,
  };
  const byNumber = new Intl.Collator("zh-CN", { numeric: true }).compare;

  function setStatus(text, isError) {
    const el = $("#status");
    el.textContent = text;
    el.classList.toggle("error", !!isError);
  }

  async function getJSON(url, options) {
    const response = await fetch(url, {
      ...(options || {}),
      headers: { Accept: "application/json", ...((options && options.headers) || {}) },
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.message || `${response.status} ${response.statusText}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null) continue;
      if (key === "class") node.className = value;
      else if (key === "data") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  }

  function nodeStyle(label) {
    return state.style.nodes[label] || state.style.default_node;
  }

  function relStyle(type) {
    return state.style.relationships[type] || state.style.default_relationship;
  }

  // The caption a person reads, filled from the label's template as Neo4j Browser fills it
  // ({key} -> property); the name when the template finds nothing, never the id alone.
  function captionOf(node) {
    const props = { id: node.id, name: node.name, ...(node.properties || {}) };
    const template = nodeStyle(node.label).caption;
    const fill = (text) =>
      text.replace(/\{([^{}]*)\}/g, (_, key) => {
        const value = props[key];
        if (value === undefined || value === null) return "";
        return Array.isArray(value) ? value.join(", ") : String(value);
      });
    const text = fill(template).trim();
    const bare = template.replace(/\{([^{}]*)\}/g, "").trim();
    return !text || text === bare ? String(node.name || node.id) : text;
  }

  function chip(label) {
    const s = nodeStyle(label);
    const span = el("span", { class: "chip", title: label }, s.title || label);
    span.style.background = s.color;
    span.style.borderColor = s.border;
    span.style.color = s.text_color;
    return span;
  }

  function renderLegend() {
    const list = $("#legend");
    list.replaceChildren();
    for (const [label, s] of Object.entries(state.style.nodes)) {
      const dot = el("span", { class: "dot" });
      dot.style.background = s.color;
      dot.style.borderColor = s.border;
      list.append(el("li", {}, dot, `${s.title} ${label}`));
    }
  }

  // -- the drawing ---------------------------------------------------------------------------

  // Plan items in their plan's order (task 2 before task 10), the rest by caption.
  function compareNodeData(a, b) {
    if (a.label !== b.label) return (LABEL_ORDER[a.label] ?? 99) - (LABEL_ORDER[b.label] ?? 99);
    const pa = a.plan || "";
    const pb = b.plan || "";
    if (pa !== pb) return byNumber(pa, pb);
    if (a.rank !== b.rank) return a.rank - b.rank;
    return byNumber(a.caption || "", b.caption || "");
  }

  function initGraph() {
    const nodeRules = Object.entries(state.style.nodes).map(([label, s]) => ({
      selector: `node[label = "${label}"]`,
      style: {
        "background-color": s.color,
        "border-color": s.border,
        // Browser diameters are in px at zoom 1; scaled down so a column of tasks fits.
        width: Math.round(s.diameter * 0.4),
        height: Math.round(s.diameter * 0.4),
      },
    }));
    const edgeRules = Object.entries(state.style.relationships).map(([type, s]) => ({
      selector: `edge[type = "${type}"]`,
      style: { "line-color": s.color, "target-arrow-color": s.color, width: s.width },
    }));
    state.cy = cytoscape({
      container: $("#graph"),
      wheelSensitivity: 0.3,
      style: [
        {
          selector: "node",
          style: {
            label: "data(caption)",
            "font-size": 12,
            // Layers run left to right, so each caption reads to the right of its node and
            // the layout keeps the space it needs (nodeDimensionsIncludeLabels).
            "text-valign": "center",
            "text-halign": "right",
            "text-margin-x": 4,
            "text-wrap": "wrap",
            "text-max-width": 190,
            // Chinese has no spaces to break at; allow a break between any characters.
            "text-overflow-wrap": "anywhere",
            "background-color": state.style.default_node.color,
            "border-width": 2,
            "border-color": state.style.default_node.border,
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.85,
            "text-background-padding": 1,
          },
        },
        ...nodeRules,
        {
          selector: "edge",
          style: {
            "font-size": 9,
            color: "#555",
            "curve-style": "bezier",
            "target-arrow-shape": "triangle",
            "line-color": state.style.default_relationship.color,
            "target-arrow-color": state.style.default_relationship.color,
            "arrow-scale": 0.8,
          },
        },
        ...edgeRules,
        // Only alignment links carry a word: they are the ones to click and review.
        {
          selector: 'edge[type = "ALIGNS_WITH"]',
          style: {
            label: "data(caption)",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.9,
          },
        },
        { selector: "edge.reviewing", style: { width: 6, "line-color": "#1a5fb4" } },
        { selector: "node.center", style: { "border-width": 5, "border-color": "#1f2a37" } },
        { selector: "node:selected", style: { "overlay-color": "#1a5fb4", "overlay-opacity": 0.2 } },
      ],
    });
    state.cy.on("tap", "node", (event) => showDetails(event.target.id()));
    state.cy.on("dbltap", "node", (event) => expand(event.target.id()));
    state.cy.on("tap", "edge", (event) => {
      const edge = event.target;
      if (ITEM_LABELS.has(nodeLabel(edge.data("source"))) && edge.data("type") === "ALIGNS_WITH") {
        showReview(edge.data("source"), edge.data("target"));
      }
    });
    // Tests and curious users can reach the graph from the console.
    window.explorer = {
      cy: state.cy,
      open,
      expand,
      showDetails,
      showReview,
      showCoverage,
      labelOverlaps,
    };
  }

  function nodeLabel(id) {
    const node = state.details.get(id);
    return node ? node.label : "";
  }

  function addGraph(graph) {
    const cy = state.cy;
    const added = [];
    for (const node of graph.nodes) {
      state.details.set(node.id, node);
      if (cy.getElementById(node.id).nonempty()) continue;
      const props = node.properties || {};
      added.push({
        group: "nodes",
        data: {
          id: node.id,
          label: node.label,
          caption: captionOf(node),
          plan: props.plan_id || (node.label === "Plan" ? node.id : ""),
          rank: Number(props.number ?? props.order ?? 0),
        },
      });
    }
    for (const edge of graph.edges) {
      const id = `${edge.source}|${edge.type}|${edge.target}`;
      if (cy.getElementById(id).nonempty()) continue;
      added.push({
        group: "edges",
        data: {
          id,
          source: edge.source,
          target: edge.target,
          type: edge.type,
          caption: relStyle(edge.type).caption || edge.type,
          properties: edge.properties || {},
        },
      });
    }
    cy.add(added);
    return added.length;
  }

  const NODE_GAP = 6;

  // Layers along the arrows: plan -> action group -> task, district task -> city task,
  // bureau -> task -> place. Captions are part of each node's size, so none overlap.
  async function runLayout(animate) {
    const cy = state.cy;
    const before = new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
    const layout = cy.layout({
      name: "dagre",
      rankDir: "LR",
      nodeSep: NODE_GAP,
      rankSep: 70,
      edgeSep: 4,
      nodeDimensionsIncludeLabels: true,
      fit: false,
      animate: false,
    });
    const done = new Promise((resolve) => layout.one("layoutstop", resolve));
    layout.run();
    await done;
    stackColumns();
    if (!animate) {
      cy.fit(cy.elements(), 24);
      return;
    }
    // Back to where they were, then glide to the new places so the eye can follow.
    const after = new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
    cy.nodes().forEach((n) => before.has(n.id()) && n.position(before.get(n.id())));
    await Promise.all(
      cy.nodes().map((n) => n.animation({ position: after.get(n.id()), duration: 300 }).play().promise()),
    );
    cy.animate({ fit: { eles: cy.elements(), padding: 24 } }, { duration: 200 });
  }

  // dagre orders a layer to cut crossings, which reads as 9, 8, … 21, 20, 2; an analyst reads
  // a plan's items in its order. Each layer is restacked top to bottom in plan order, keeping
  // each node's height (its caption) and the layer's middle.
  function stackColumns() {
    const columns = new Map();
    state.cy.nodes().forEach((n) => {
      const x = Math.round(n.position("x"));
      if (!columns.has(x)) columns.set(x, []);
      columns.get(x).push(n);
    });
    for (const nodes of columns.values()) {
      const heights = nodes.map((n) => n.layoutDimensions({ nodeDimensionsIncludeLabels: true }).h);
      const ys = nodes.map((n) => n.position("y"));
      const middle = (Math.min(...ys) + Math.max(...ys)) / 2;
      const total = heights.reduce((a, b) => a + b, 0) + NODE_GAP * (nodes.length - 1);
      const order = nodes.map((n, i) => ({ n, h: heights[i] }));
      order.sort((a, b) => compareNodeData(a.n.data(), b.n.data()));
      let y = middle - total / 2;
      for (const { n, h } of order) {
        n.position({ x: n.position("x"), y: y + h / 2 });
        y += h + NODE_GAP;
      }
    }
  }

  // Pairs of drawn captions whose boxes intersect (the tests ask; so can a curious user).
  function labelOverlaps() {
    const boxes = state.cy.nodes().map((n) => ({
      id: n.id(),
      box: n.boundingBox({ includeNodes: false, includeLabels: true, includeOverlays: false }),
    }));
    const hits = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].box;
        const b = boxes[j].box;
        if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) {
          hits.push([boxes[i].id, boxes[j].id]);
        }
      }
    }
    return hits;
  }

  async function fetchNeighbourhood(id) {
    return getJSON(`/graph/neighbourhood?id=${encodeURIComponent(id)}&depth=1`);
  }

  async function open(id) {
    setStatus("加载中…");
    hideCoverage();
    try {
      const graph = await fetchNeighbourhood(id);
      state.cy.elements().remove();
      state.details.clear();
      addGraph(graph);
      state.cy.nodes().removeClass("center");
      state.cy.getElementById(id).addClass("center");
      await runLayout(false);
      history.replaceState(null, "", `#id=${encodeURIComponent(id)}`);
      setStatus(`${graph.nodes.length} 个节点，${graph.edges.length} 条关系`);
      showDetails(id);
    } catch (error) {
      setStatus(`无法加载 ${id}: ${error.message}`, true);
    }
  }

  // The new neighbours join the layers; the whole drawing is laid out again (animated, so the
  // eye can follow) rather than piling a ring of captions over what is there.
  async function expand(id) {
    setStatus("展开中…");
    try {
      const graph = await fetchNeighbourhood(id);
      const known = new Set(state.cy.nodes().map((n) => n.id()));
      addGraph(graph);
      const newIds = graph.nodes.map((n) => n.id).filter((nodeId) => !known.has(nodeId));
      state.cy.nodes().removeClass("center");
      state.cy.getElementById(id).addClass("center");
      if (newIds.length) await runLayout(true);
      setStatus(`展开 ${captionOf(state.details.get(id))}: 新增 ${newIds.length} 个节点`);
      if (state.selected === id) showDetails(id);
    } catch (error) {
      setStatus(`无法展开 ${id}: ${error.message}`, true);
    }
  }

  // -- details -------------------------------------------------------------------------------

  function formatValue(key, value) {
    if (key === "level" && LEVEL_NAMES[value]) return `${LEVEL_NAMES[value]} (${value})`;
    if (typeof value === "boolean") return value ? "是" : "否";
    if (Array.isArray(value)) return value.join("、");
    if (value && typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  function fieldRows(props) {
    const rows = [];
    if (props.line_start) {
      const end = props.line_end && props.line_end !== props.line_start ? `–${props.line_end}` : "";
      rows.push(["lines", `第 ${props.line_start}${end} 行`]);
    }
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === "" || HIDDEN_FIELDS.has(key)) continue;
      rows.push([key, formatValue(key, value)]);
    }
    const rank = (key) => {
      const i = FIELD_ORDER.indexOf(key);
      return i < 0 ? FIELD_ORDER.length : i;
    };
    return rows.sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
  }

  // Details: at once from the neighbourhood data, then every property (a task's full text)
  // from /explore/node.
  function showDetails(id) {
    const node = state.details.get(id);
    if (!node) return;
    state.selected = id;
    state.cy.edges().removeClass("reviewing");
    state.cy.nodes().unselect();
    state.cy.getElementById(id).select();
    renderDetails(node);
    fullNode(id)
      .then((full) => {
        if (state.selected !== id) return; // the user has moved on
        renderDetails({ ...node, properties: { ...node.properties, ...full.properties } });
      })
      .catch((error) => setStatus(`详情加载失败: ${error.message}`, true));
  }

  const fullNodes = new Map();
  function fullNode(id) {
    if (!fullNodes.has(id)) {
      const request = getJSON(`/explore/node?id=${encodeURIComponent(id)}`);
      request.catch(() => fullNodes.delete(id));
      fullNodes.set(id, request);
    }
    return fullNodes.get(id);
  }

  // A plan by its short title (fetched if it is not drawn); a click opens it.
  function planLink(planId) {
    const plan = state.details.get(planId);
    const link = el(
      "a",
      {
        class: "plan-link",
        title: planId,
        onclick: () => (state.cy.getElementById(planId).nonempty() ? showDetails(planId) : open(planId)),
      },
      plan ? captionOf(plan) : planId,
    );
    if (!plan && planId) {
      fullNode(planId)
        .then((full) => (link.textContent = captionOf(full)))
        .catch(() => {});
    }
    return link;
  }

  function narrowDetails() {
    const pane = $("#details");
    if (!pane.classList.contains("reviewing")) return;
    pane.classList.remove("reviewing");
    state.cy.resize();
  }

  function renderDetails(node) {
    const id = node.id;
    const pane = $("#details");
    narrowDetails();
    pane.replaceChildren(
      el("h2", {}, "详情"),
      el("h3", {}, chip(node.label), " ", captionOf(node)),
    );
    const dl = el("dl");
    const props = { id: node.id, name: node.name, ...(node.properties || {}) };
    if (props.title && props.title === props.name) delete props.name;
    for (const [key, text] of fieldRows(props)) {
      const dd = el("dd", { data: { key } });
      if (key === "plan_id") dd.append(planLink(props.plan_id));
      else dd.textContent = text;
      dl.append(el("dt", { title: key }, FIELD_NAMES[key] || key), dd);
    }
    pane.append(dl);

    pane.append(
      el("button", { type: "button", id: "expand", onclick: () => expand(id) }, "展开 Expand"),
      el("button", { type: "button", onclick: () => open(id) }, "以此为中心 Focus"),
    );
    if (node.label === "Plan") {
      pane.append(
        el(
          "button",
          { type: "button", id: "coverage-button", onclick: () => showCoverage(id) },
          "覆盖热图 Coverage",
        ),
      );
    }
    renderRelations(pane, id);
    if (state.curation && ITEM_LABELS.has(node.label)) renderAddLink(pane, node);
  }

  // Its relationships in words, so the details read without the drawing; in plan order.
  function renderRelations(pane, id) {
    const edges = state.cy.getElementById(id).connectedEdges();
    if (edges.empty()) return;
    const items = edges.map((edge) => {
      const outgoing = edge.data("source") === id;
      const otherId = outgoing ? edge.data("target") : edge.data("source");
      const other = state.cy.getElementById(otherId);
      return { edge, outgoing, otherId, other: other.nonempty() ? other.data() : { caption: otherId } };
    });
    items.sort(
      (a, b) =>
        a.edge.data("type").localeCompare(b.edge.data("type")) ||
        Number(b.outgoing) - Number(a.outgoing) ||
        compareNodeData(a.other, b.other),
    );
    const ul = el("ul", { class: "links" });
    for (const { edge, outgoing, otherId, other } of items) {
      const caption = edge.data("caption");
      const role = ROLE_NAMES[edge.data("properties").role];
      const arrow = outgoing ? `—${caption}→ ` : `←${caption}— `;
      const li = el("li", {}, arrow, el("a", { onclick: () => showDetails(otherId) }, other.caption));
      if (role) li.append(` (${role})`);
      if (edge.data("type") === "ALIGNS_WITH") {
        const [child, parent] = outgoing ? [id, otherId] : [otherId, id];
        li.append(" ", el("a", { class: "review-link", onclick: () => showReview(child, parent) }, "审核"));
      }
      ul.append(li);
    }
    pane.append(el("h2", {}, "关系"), ul);
  }

  // -- review of an alignment link -------------------------------------------------------------

  const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  // Evidence is a list of shared terms ("集成电路", "industry:人工智能") and notes ("same action
  // group"); the terms are what to mark in the text.
  function evidenceTerms(evidence) {
    const terms = new Set();
    for (const item of evidence || []) {
      const term = String(item).includes(":") ? String(item).split(":").slice(1).join(":") : item;
      if (term && /[\u3400-\u9fff]/.test(term) && !/\s/.test(term)) terms.add(term.trim());
    }
    return [...terms].sort((a, b) => b.length - a.length);
  }

  function markedText(text, terms) {
    const container = el("div", { class: "source-text" });
    if (!terms.length) {
      container.textContent = text;
      return container;
    }
    const pattern = new RegExp(`(${terms.map(escapeRegExp).join("|")})`, "g");
    for (const part of String(text).split(pattern)) {
      if (!part) continue;
      container.append(terms.includes(part) ? el("mark", {}, part) : part);
    }
    return container;
  }

  function sourceColumn(role, node, terms) {
    const props = node.properties || {};
    const lines = props.line_start
      ? `第 ${props.line_start}${props.line_end && props.line_end !== props.line_start ? `–${props.line_end}` : ""} 行`
      : "";
    return el(
      "section",
      { class: "source", data: { role } },
      el("h4", {}, role === "child" ? "下级 (落实方)" : "上级 (被落实)"),
      el("div", { class: "source-plan" }, planLink(props.plan_id || ""), lines ? ` · ${lines}` : ""),
      el("div", { class: "source-title" }, chip(node.label), " ", captionOf(node)),
      markedText(props.text || props.title || node.name, terms),
    );
  }

  function linkEdge(childId, parentId) {
    return state.cy.getElementById(`${childId}|ALIGNS_WITH|${parentId}`);
  }

  async function showReview(childId, parentId, options) {
    const proposing = !!(options && options.proposing);
    state.selected = `${childId}→${parentId}`;
    const selection = state.selected;
    const edge = linkEdge(childId, parentId);
    state.cy.elements().unselect();
    state.cy.edges().removeClass("reviewing");
    edge.addClass("reviewing");
    const link = edge.nonempty() ? edge.data("properties") : {};
    const pane = $("#details");
    pane.classList.add("reviewing"); // wider: two texts side by side
    state.cy.resize();
    state.cy.fit(state.cy.elements(), 24);
    pane.replaceChildren(el("h2", {}, proposing ? "添加对应 Add link" : "对应关系审核 Review link"));
    try {
      const [child, parent] = await Promise.all([fullNode(childId), fullNode(parentId)]);
      if (state.selected !== selection) return;
      const terms = evidenceTerms(link.evidence);
      const meta = el("dl", { class: "link-meta" });
      const facts = [
        ["得分 score", link.score !== undefined ? Number(link.score).toFixed(3) : "—"],
        ["状态 status", link.status || (proposing ? "新增 (尚未写入)" : "—")],
        ["方法 method", link.method || "—"],
      ];
      for (const [name, value] of facts) meta.append(el("dt", {}, name), el("dd", {}, value));
      const evidence = el("div", { class: "evidence" });
      for (const item of link.evidence || []) {
        const marked = terms.some((t) => String(item).endsWith(t));
        evidence.append(el("span", { class: marked ? "term marked" : "term" }, String(item)), " ");
      }
      pane.append(
        meta,
        el("h2", {}, "证据 Evidence"),
        evidence.childNodes.length ? evidence : el("p", { class: "hint" }, "无"),
        el(
          "div",
          { class: "side-by-side" },
          sourceColumn("child", child, terms),
          sourceColumn("parent", parent, terms),
        ),
      );
      if (state.curation) {
        await renderDecisionForm(pane, childId, parentId, proposing);
      } else {
        pane.append(
          el(
            "p",
            { class: "hint" },
            "只读：以 plangraph serve --allow-curation 启动即可在此确认、否决或添加对应关系。",
          ),
        );
      }
    } catch (error) {
      pane.append(el("p", { class: "error" }, `无法加载: ${error.message}`));
    }
  }

  async function renderDecisionForm(pane, childId, parentId, proposing) {
    const form = el("form", { class: "decision", id: "decision-form" });
    const current = el("p", { class: "current-decision" });
    try {
      const found = await getJSON(
        `/curation/decisions?child=${encodeURIComponent(childId)}&parent=${encodeURIComponent(parentId)}`,
      );
      current.textContent = found.decision
        ? `决定文件第 ${found.decision.line} 行已有: ${found.decision.decision}${found.decision.note ? ` — ${found.decision.note}` : ""}`
        : "决定文件中尚无此关系的决定。";
    } catch (error) {
      current.textContent = `无法读取决定文件: ${error.message}`;
      current.classList.add("error");
    }
    const note = el("textarea", {
      id: "decision-note",
      name: "note",
      rows: "2",
      maxlength: "500",
      placeholder: "备注：谁、何时、为何 (note: who, when, why)",
    });
    const result = el("p", { id: "decision-result", role: "status" });
    const send = async (decision) => {
      result.textContent = "写入中…";
      result.classList.remove("error");
      try {
        const body = await getJSON("/curation/decisions", {
          method: "POST",
          headers: { "Content-Type": "application/json", [state.curation.header]: state.curation.token },
          body: JSON.stringify({ child: childId, parent: parentId, decision, note: note.value }),
        });
        const d = body.decision;
        result.textContent = `已写入 ${body.decisions_file} 第 ${d.line} 行: ${d.decision}${body.replaced ? `（替换了原来的 ${body.replaced.decision}）` : ""}。${body.applies}`;
        current.textContent = `决定文件第 ${d.line} 行: ${d.decision}${d.note ? ` — ${d.note}` : ""}`;
      } catch (error) {
        result.textContent = `未写入: ${error.message}`;
        result.classList.add("error");
      }
    };
    const button = (decision, text) =>
      el("button", { type: "button", data: { decision }, onclick: () => send(decision) }, text);
    form.append(
      el("h2", {}, "决定 Decision"),
      current,
      note,
      el(
        "div",
        { class: "buttons" },
        ...(proposing
          ? [button("add", "添加 Add")]
          : [button("confirm", "确认 Confirm"), button("reject", "否决 Reject")]),
      ),
      result,
      el("p", { class: "hint" }, `决定写入 ${state.curation.decisions_file}。${state.curation.applies}`),
    );
    pane.append(form);
  }

  // Add a link the algorithm missed: pick the counterpart by name; which end is the child
  // follows from the two plans' levels (a district task implements a city task).
  function renderAddLink(pane, node) {
    const input = el("input", {
      id: "add-link-query",
      type: "search",
      placeholder: "对应的另一方任务名称…",
      "aria-label": "Counterpart to link",
    });
    const list = el("ul", { class: "links", id: "add-link-results" });
    const form = el(
      "form",
      {
        class: "add-link",
        onsubmit: async (event) => {
          event.preventDefault();
          list.replaceChildren();
          if (!input.value.trim()) return;
          try {
            const body = await getJSON(`/search?q=${encodeURIComponent(input.value)}&limit=30`);
            const mine = (node.properties || {}).plan_id;
            const hits = body.results.filter((h) => h.label === node.label && h.plan_id && h.plan_id !== mine);
            for (const hit of hits) {
              list.append(
                el("li", {}, el("a", { onclick: () => proposeLink(node, hit) }, hit.caption || hit.name)),
              );
            }
            if (!hits.length) list.append(el("li", { class: "hint" }, "其他计划中没有匹配的条目。"));
          } catch (error) {
            list.append(el("li", { class: "error" }, error.message));
          }
        },
      },
      input,
      el("button", { type: "submit" }, "查找"),
    );
    pane.append(el("h2", {}, "添加对应 Add link"), form, list);
  }

  async function proposeLink(node, hit) {
    try {
      const self = await fullNode(node.id);
      const [mine, theirs] = await Promise.all([
        fullNode(self.properties.plan_id),
        fullNode(hit.plan_id),
      ]);
      const rank = (plan) => LEVEL_RANK[(plan.properties || {}).level] || 0;
      const [child, parent] = rank(mine) <= rank(theirs) ? [node.id, hit.id] : [hit.id, node.id];
      for (const id of [child, parent]) {
        if (!state.details.has(id)) {
          const full = await fullNode(id);
          state.details.set(id, { ...full, properties: full.properties });
        }
      }
      await showReview(child, parent, { proposing: linkEdge(child, parent).empty() });
    } catch (error) {
      setStatus(`无法添加: ${error.message}`, true);
    }
  }

  // -- coverage heatmap ------------------------------------------------------------------------

  function hideCoverage() {
    const pane = $("#coverage");
    pane.hidden = true;
    pane.replaceChildren();
  }

  // The parent plan's tasks down, its child plans across; each cell the child tasks that
  // implement the task, coloured by how many (none is the gap to look at).
  async function showCoverage(planId) {
    const pane = $("#coverage");
    narrowDetails();
    pane.hidden = false;
    pane.replaceChildren(el("p", { class: "hint" }, "加载覆盖情况…"));
    let body;
    try {
      body = await getJSON(`/plans/${encodeURIComponent(planId)}/coverage`);
    } catch (error) {
      pane.replaceChildren(
        el("button", { type: "button", class: "close", onclick: hideCoverage }, "关闭 ×"),
        el("p", { class: "error" }, `无法加载覆盖情况: ${error.message}`),
      );
      return;
    }
    history.replaceState(null, "", `#coverage=${encodeURIComponent(planId)}`);
    const { plan, children, rows, totals } = body;
    const header = el(
      "div",
      { class: "coverage-head" },
      el("h2", {}, `覆盖热图 · ${plan.title}`),
      el("button", { type: "button", class: "close", onclick: hideCoverage }, "关闭 ×"),
    );
    pane.replaceChildren(header);
    if (!children.length) {
      pane.append(el("p", { class: "hint" }, "没有已加载的下级计划落实此计划。"));
      return;
    }
    const table = el("table", { class: "heatmap", id: "heatmap" });
    const headRow = el("tr", {}, el("th", {}, "编号"), el("th", {}, "任务"), el("th", {}, "行动"));
    for (const child of children) {
      headRow.append(el("th", { class: "child", title: child.title }, child.region || child.title));
    }
    table.append(el("thead", {}, headRow));
    const tbody = el("tbody");
    const detail = el("section", { class: "cell-detail", id: "cell-detail" });
    const sorted = [...rows].sort((a, b) => a.task.number - b.task.number);
    for (const row of sorted) {
      const tr = el(
        "tr",
        { data: { task: row.task.id } },
        el("td", { class: "num" }, String(row.task.number)),
        el("td", { class: "task" }, row.task.title),
        el("td", { class: "action" }, row.task.action || ""),
      );
      row.cells.forEach((cell, i) => {
        const child = children[i];
        const td = el(
          "td",
          {
            class: cell.length ? "cell covered" : "cell gap",
            tabindex: "0",
            title: [
              `${child.region || child.title}: ${cell.length} 项`,
              ...cell.map((item) => `${item.number}. ${item.title} (${Number(item.score).toFixed(2)})`),
            ].join("\n"),
            data: { count: String(cell.length), child: child.id },
          },
          cell.length ? String(cell.length) : "—",
        );
        // Darker with more implementing tasks; a gap stays pale red.
        if (cell.length) {
          td.style.background = heat(cell.length);
          td.style.color = cell.length >= 3 ? "#fff" : "#0b2e4a";
        }
        const pick = () => showCell(detail, table, td, row.task, child, cell);
        td.addEventListener("click", pick);
        td.addEventListener("keydown", (event) => event.key === "Enter" && pick());
        tr.append(td);
      });
      tbody.append(tr);
    }
    const total = el(
      "tr",
      { class: "totals" },
      el("td", {}, ""),
      el("td", {}, `已覆盖 ${totals.covered} / ${totals.tasks}`),
      el("td", {}, ""),
    );
    for (const count of totals.by_child) total.append(el("td", {}, String(count)));
    tbody.append(total);
    table.append(tbody);
    pane.append(
      el(
        "p",
        { class: "hint" },
        "每格：该下级计划中落实此任务的任务数（颜色越深越多，— 为未覆盖）。点击格子查看具体任务。",
      ),
      el("div", { class: "coverage-body" }, table, detail),
    );
    setStatus(`${plan.title}: ${totals.covered}/${totals.tasks} 项任务有下级落实`);
  }

  // One shade per count, the same on every plan: 1 light, 2 mid, 3 and more dark.
  function heat(count) {
    const lightness = [86, 72, 58, 46][Math.min(count, 4) - 1];
    return `hsl(205, 70%, ${lightness}%)`;
  }

  function showCell(detail, table, td, task, child, cell) {
    table.querySelectorAll("td.selected").forEach((x) => x.classList.remove("selected"));
    td.classList.add("selected");
    detail.replaceChildren(
      el("h3", {}, `${task.number}. ${task.title}`),
      el("p", { class: "hint" }, `${child.region || child.title} 落实它的任务：`),
    );
    if (!cell.length) {
      detail.append(el("p", {}, "没有（未覆盖）。"));
      return;
    }
    const list = el("ol", { class: "implementing" });
    const ordered = [...cell].sort((a, b) => a.number - b.number);
    for (const item of ordered) {
      list.append(
        el(
          "li",
          { data: { id: item.id } },
          el("a", { onclick: () => open(item.id) }, `${item.number}. ${item.title}`),
          ` (得分 ${Number(item.score).toFixed(2)})`,
        ),
      );
    }
    detail.append(list);
  }

  // -- search --------------------------------------------------------------------------------

  async function search(query) {
    const list = $("#results");
    list.replaceChildren();
    $("#result-count").textContent = "";
    if (!query.trim()) return [];
    setStatus("搜索中…");
    try {
      const body = await getJSON(`/search?q=${encodeURIComponent(query)}&limit=30`);
      $("#result-count").textContent = `(${body.results.length})`;
      for (const hit of body.results) {
        const li = el("li", { data: { id: hit.id }, title: hit.id }, chip(hit.label), " ", hit.caption || hit.name);
        li.addEventListener("click", () => {
          list.querySelectorAll("li").forEach((item) => item.classList.remove("active"));
          li.classList.add("active");
          open(hit.id);
        });
        list.append(li);
      }
      setStatus(body.results.length ? "选择一个结果查看其相邻节点。" : `没有找到“${query}”。`);
      return body.results;
    } catch (error) {
      setStatus(`搜索失败: ${error.message}`, true);
      return [];
    }
  }

  async function loadCuration() {
    // Present only when the server was started with --allow-curation (404 otherwise).
    try {
      state.curation = await getJSON("/curation/session");
      const badge = $("#curation-badge");
      badge.hidden = false;
      badge.title = `决定写入 ${state.curation.decisions_file}`;
    } catch (error) {
      state.curation = null;
    }
  }

  async function main() {
    try {
      state.style = await getJSON("/browser/style.json");
    } catch (error) {
      setStatus(`无法加载样式: ${error.message}`, true);
      return;
    }
    renderLegend();
    initGraph();
    await loadCuration();
    $("#search-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const results = await search($("#search").value);
      // A single hit, or a hit named exactly as typed, opens straight away: typing 区经委
      // should show 区经委's tasks without another click.
      const query = $("#search").value.trim();
      const pick = results.length === 1 ? results[0] : results.find((hit) => hit.name === query);
      if (pick) {
        $(`#results li[data-id="${CSS.escape(pick.id)}"]`).classList.add("active");
        open(pick.id);
      }
    });
    const match = location.hash.match(/^#(id|coverage)=(.+)$/);
    if (match && match[1] === "id") open(decodeURIComponent(match[2]));
    if (match && match[1] === "coverage") showCoverage(decodeURIComponent(match[2]));
    document.body.dataset.ready = "true";
  }

  main();
})();
