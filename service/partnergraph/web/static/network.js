// The partnership network explored with Cytoscape.js: positions come laid out from the server; zoom, pan, filters
// by kind of tie and type of organisation, and focus on one organisation and its partners.
(function () {
  const data = JSON.parse(document.getElementById("network-data").textContent);
  const colours = { membership: "#3d6a94", agreement: "#a85a12", partnership: "#4d7a3e", part: "#666666",
    "founding or funding": "#7a4598", "incubated or housed": "#8a6d1f", "run or recognised": "#a3385e" };
  const elements = [];
  for (const n of data.nodes) {
    elements.push({ group: "nodes", data: { id: n.iri, label: n.label, type: n.type, page: n.page,
      degree: n.degree, size: 10 + Math.sqrt(n.degree) * 5 }, position: { x: n.x, y: n.y } });
  }
  data.edges.forEach((e, i) => {
    elements.push({ group: "edges", data: { id: "e" + i, source: e.a, target: e.b, kind: e.kind, via: e.via,
      colour: colours[e.kind] } });
  });
  const cy = cytoscape({
    container: document.getElementById("network"),
    elements: elements,
    // the server's positions are the start; cose spreads the crowded centre (no randomness: the same every visit)
    layout: { name: "cose", randomize: false, animate: false, nodeRepulsion: () => 400000, idealEdgeLength: () => 70,
      nodeOverlap: 20, numIter: 1500, padding: 20 },
    minZoom: 0.1, maxZoom: 4, wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { width: "data(size)", height: "data(size)", "background-color": "#345",
        "border-width": 1.5, "border-color": "#fff", label: "", "font-size": 18, color: "#1b1b1b",
        "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 2,
        "text-valign": "bottom", "text-margin-y": 3, "min-zoomed-font-size": 9 } },
      { selector: "node[degree >= 4]", style: { label: "data(label)" } },
      { selector: "edge", style: { width: 1.5, "line-color": "data(colour)", opacity: 0.6,
        "curve-style": "haystack" } },
      { selector: "edge[kind = 'partnership']", style: { "line-style": "dashed" } },
      { selector: ".faded", style: { opacity: 0.08, label: "" } },
      { selector: ".near", style: { label: "data(label)", "z-index": 10 } },
      { selector: "node:selected", style: { "background-color": "#c33", label: "data(label)", "font-weight": "bold" } },
    ],
  });
  window.partnershipNetwork = cy;  // for the browser tests and for curious readers with a console

  const info = document.getElementById("focus-info");
  const input = document.getElementById("focus");
  const rows = Array.from(document.querySelectorAll("#tie-table tbody tr"));

  function applyFilters() {
    const kinds = new Set(Array.from(document.querySelectorAll("#tie-kinds input:checked"), (box) => box.value));
    const type = document.getElementById("org-type").value;
    cy.batch(() => {
      cy.nodes().forEach((n) => n.style("display", !type || n.data("type") === type ? "element" : "none"));
      cy.edges().forEach((e) => e.style("display", kinds.has(e.data("kind")) ? "element" : "none"));
    });
    for (const row of rows) { row.hidden = !kinds.has(row.dataset.kind); }
  }

  function focus(node) {
    if (!node.visible()) { document.getElementById("org-type").value = ""; applyFilters(); }
    cy.elements().removeClass("faded near").unselect();
    const around = node.closedNeighborhood(":visible");
    cy.elements(":visible").difference(around).addClass("faded");
    around.addClass("near");
    node.select();
    cy.animate({ fit: { eles: around, padding: 40 }, duration: 300 });
    const partners = around.nodes().length - 1;
    info.innerHTML = "";
    const link = document.createElement("a");
    link.href = node.data("page");
    link.textContent = node.data("label");
    info.append(link, ` (${node.data("type")}): ${partners} organisation${partners === 1 ? "" : "s"} tied to it shown.`);
  }

  function reset() {
    for (const box of document.querySelectorAll("#tie-kinds input")) { box.checked = true; }
    document.getElementById("org-type").value = "";
    applyFilters();
    cy.elements().removeClass("faded near").unselect();
    info.textContent = "";
    input.value = "";
    cy.animate({ fit: { eles: cy.elements(":visible"), padding: 20 }, duration: 300 });
  }

  cy.on("tap", "node", (event) => focus(event.target));
  cy.on("tap", (event) => {  // a tap on the background lets go of the focus, keeping the filters
    if (event.target === cy) { cy.elements().removeClass("faded near").unselect(); info.textContent = ""; }
  });
  document.getElementById("focus-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const wanted = input.value.trim().toLowerCase();
    const found = cy.nodes().filter((n) => n.data("label").toLowerCase() === wanted);
    const node = found.length ? found[0] : cy.nodes().filter((n) => n.data("label").toLowerCase().includes(wanted))[0];
    if (node && wanted) { focus(node); } else { info.textContent = `No organisation in the picture is called “${input.value}”.`; }
  });
  document.getElementById("reset").addEventListener("click", reset);
  for (const control of document.querySelectorAll("#tie-kinds input, #org-type")) {
    control.addEventListener("change", applyFilters);
  }
})();
