// The explore page: search a name, draw its neighbourhood, click for details, expand.
// Plain browser JavaScript on purpose (no build step); cytoscape is served from npm's copy.
// Colours and captions come from /browser/style.json, the same source as the Browser's GraSS.
(function () {
  "use strict";

  const state = { style: null, cy: null, selected: null, details: new Map() };
  const $ = (sel) => document.querySelector(sel);

  function setStatus(text, isError) {
    const el = $("#status");
    el.textContent = text;
    el.classList.toggle("error", !!isError);
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.message || `${response.status} ${response.statusText}`);
    }
    return body;
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
    const span = document.createElement("span");
    span.className = "chip";
    span.style.background = s.color;
    span.style.borderColor = s.border;
    span.style.color = s.text_color;
    span.textContent = s.title || label;
    span.title = label;
    return span;
  }

  function renderLegend() {
    const list = $("#legend");
    list.replaceChildren();
    for (const [label, s] of Object.entries(state.style.nodes)) {
      const li = document.createElement("li");
      const dot = document.createElement("span");
      dot.className = "dot";
      dot.style.background = s.color;
      dot.style.borderColor = s.border;
      li.append(dot, `${s.title} ${label}`);
      list.append(li);
    }
  }

  function initGraph() {
    const nodeRules = Object.entries(state.style.nodes).map(([label, s]) => ({
      selector: `node[label = "${label}"]`,
      style: {
        "background-color": s.color,
        "border-color": s.border,
        // Browser diameters are in px at zoom 1; scaled down so a ring of tasks fits.
        width: Math.round(s.diameter * 0.6),
        height: Math.round(s.diameter * 0.6),
      },
    }));
    const edgeRules = Object.entries(state.style.relationships).map(([type, s]) => ({
      selector: `edge[type = "${type}"]`,
      style: { "line-color": s.color, "target-arrow-color": s.color, width: s.width },
    }));
    state.cy = cytoscape({
      container: $("#graph"),
      style: [
        {
          selector: "node",
          style: {
            label: "data(caption)",
            "font-size": 11,
            "text-valign": "bottom",
            "text-margin-y": 3,
            "text-wrap": "wrap",
            "text-max-width": 130,
            // Chinese has no spaces to break at; allow a break between any characters.
            "text-overflow-wrap": "anywhere",
            "background-color": state.style.default_node.color,
            "border-width": 2,
            "border-color": state.style.default_node.border,
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.7,
          },
        },
        ...nodeRules,
        {
          selector: "edge",
          style: {
            label: "data(caption)",
            "font-size": 9,
            color: "#555",
            "curve-style": "bezier",
            "target-arrow-shape": "triangle",
            "line-color": state.style.default_relationship.color,
            "target-arrow-color": state.style.default_relationship.color,
            "text-rotation": "autorotate",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.8,
          },
        },
        ...edgeRules,
        { selector: "node.center", style: { "border-width": 5, "border-color": "#1f2a37" } },
        { selector: "node:selected", style: { "overlay-color": "#1a5fb4", "overlay-opacity": 0.2 } },
      ],
    });
    state.cy.on("tap", "node", (event) => showDetails(event.target.id()));
    state.cy.on("dbltap", "node", (event) => expand(event.target.id()));
    // Tests and curious users can reach the graph from the console.
    window.explorer = { cy: state.cy, open, expand, showDetails };
  }

  function addGraph(graph) {
    const cy = state.cy;
    const added = [];
    for (const node of graph.nodes) {
      state.details.set(node.id, node);
      if (cy.getElementById(node.id).nonempty()) continue;
      added.push({
        group: "nodes",
        data: { id: node.id, label: node.label, caption: captionOf(node) },
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
        },
      });
    }
    cy.add(added);
    return added.length;
  }

  function runLayout(centerId) {
    const cy = state.cy;
    const options =
      cy.nodes().length <= 40
        ? {
            name: "concentric",
            concentric: (n) => (n.id() === centerId ? 2 : 1),
            levelWidth: () => 1,
            minNodeSpacing: 30,
          }
        : { name: "cose", animate: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 90 };
    cy.layout({ ...options, fit: true, padding: 40 }).run();
  }

  async function fetchNeighbourhood(id) {
    return getJSON(`/graph/neighbourhood?id=${encodeURIComponent(id)}&depth=1`);
  }

  async function open(id) {
    setStatus("加载中…");
    try {
      const graph = await fetchNeighbourhood(id);
      state.cy.elements().remove();
      state.details.clear();
      addGraph(graph);
      state.cy.nodes().removeClass("center");
      state.cy.getElementById(id).addClass("center");
      runLayout(id);
      history.replaceState(null, "", `#id=${encodeURIComponent(id)}`);
      setStatus(`${graph.nodes.length} 个节点，${graph.edges.length} 条关系`);
      showDetails(id);
    } catch (error) {
      setStatus(`无法加载 ${id}: ${error.message}`, true);
    }
  }

  // New neighbours go on a ring around the expanded node; what is already drawn stays put,
  // so the picture the user was reading does not jump.
  function placeAround(id, newIds) {
    const cy = state.cy;
    const origin = cy.getElementById(id).position();
    const radius = 110 + newIds.length * 7;
    newIds.forEach((nodeId, i) => {
      const angle = (2 * Math.PI * i) / newIds.length;
      cy.getElementById(nodeId).position({
        x: origin.x + radius * Math.cos(angle),
        y: origin.y + radius * Math.sin(angle),
      });
    });
    cy.animate({ fit: { eles: cy.elements(), padding: 40 } }, { duration: 250 });
  }

  async function expand(id) {
    setStatus("展开中…");
    try {
      const graph = await fetchNeighbourhood(id);
      const known = new Set(state.cy.nodes().map((n) => n.id()));
      addGraph(graph);
      const newIds = graph.nodes.map((n) => n.id).filter((nodeId) => !known.has(nodeId));
      state.cy.nodes().removeClass("center");
      state.cy.getElementById(id).addClass("center");
      if (newIds.length) placeAround(id, newIds);
      setStatus(`展开 ${captionOf(state.details.get(id))}: 新增 ${newIds.length} 个节点`);
      if (state.selected === id) showDetails(id);
    } catch (error) {
      setStatus(`无法展开 ${id}: ${error.message}`, true);
    }
  }

  function formatValue(value) {
    if (Array.isArray(value)) return value.join("、");
    if (value && typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  // Details: at once from the neighbourhood data, then every property (a task's full text)
  // from /explore/node.
  function showDetails(id) {
    const node = state.details.get(id);
    if (!node) return;
    state.selected = id;
    state.cy.nodes().unselect();
    state.cy.getElementById(id).select();
    renderDetails(node);
    getJSON(`/explore/node?id=${encodeURIComponent(id)}`)
      .then((full) => {
        if (state.selected !== id) return; // the user has moved on
        renderDetails({ ...node, properties: { ...node.properties, ...full.properties } });
      })
      .catch((error) => setStatus(`详情加载失败: ${error.message}`, true));
  }

  function renderDetails(node) {
    const id = node.id;
    const pane = $("#details");
    pane.replaceChildren();
    const h2 = document.createElement("h2");
    h2.textContent = "详情";
    const h3 = document.createElement("h3");
    h3.append(chip(node.label), " ", captionOf(node));
    pane.append(h2, h3);

    const dl = document.createElement("dl");
    const props = { id: node.id, name: node.name, ...(node.properties || {}) };
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === "" || key === "label") continue;
      const dt = document.createElement("dt");
      dt.textContent = key;
      const dd = document.createElement("dd");
      dd.textContent = formatValue(value);
      dd.dataset.key = key;
      dl.append(dt, dd);
    }
    pane.append(dl);

    const expandButton = document.createElement("button");
    expandButton.type = "button";
    expandButton.id = "expand";
    expandButton.textContent = "展开 Expand";
    expandButton.addEventListener("click", () => expand(id));
    const focusButton = document.createElement("button");
    focusButton.type = "button";
    focusButton.textContent = "以此为中心 Focus";
    focusButton.addEventListener("click", () => open(id));
    pane.append(expandButton, focusButton);

    // Its relationships in words, so the details read without the drawing.
    const edges = state.cy.getElementById(id).connectedEdges();
    if (edges.nonempty()) {
      const h = document.createElement("h2");
      h.textContent = "关系";
      const ul = document.createElement("ul");
      ul.className = "links";
      edges.forEach((edge) => {
        const outgoing = edge.data("source") === id;
        const otherId = outgoing ? edge.data("target") : edge.data("source");
        const other = state.details.get(otherId);
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.textContent = other ? captionOf(other) : otherId;
        a.addEventListener("click", () => showDetails(otherId));
        li.append(outgoing ? `—${edge.data("caption")}→ ` : `←${edge.data("caption")}— `, a);
        ul.append(li);
      });
      pane.append(h, ul);
    }
  }

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
        const li = document.createElement("li");
        li.dataset.id = hit.id;
        li.append(chip(hit.label), " ", hit.caption || hit.name);
        li.title = hit.id;
        li.addEventListener("click", () => {
          list.querySelectorAll("li").forEach((el) => el.classList.remove("active"));
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

  async function main() {
    try {
      state.style = await getJSON("/browser/style.json");
    } catch (error) {
      setStatus(`无法加载样式: ${error.message}`, true);
      return;
    }
    renderLegend();
    initGraph();
    $("#search-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const results = await search($("#search").value);
      // A single hit, or a hit named exactly as typed, opens straight away: typing 区经委
      // should show 区经委's tasks without another click.
      const query = $("#search").value.trim();
      const pick =
        results.length === 1 ? results[0] : results.find((hit) => hit.name === query);
      if (pick) {
        $(`#results li[data-id="${CSS.escape(pick.id)}"]`).classList.add("active");
        open(pick.id);
      }
    });
    const match = location.hash.match(/^#id=(.+)$/);
    if (match) open(decodeURIComponent(match[1]));
  }

  main();
})();
