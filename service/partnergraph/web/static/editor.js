// The SPARQL editor: YASGUI on this endpoint, the query kept in the address bar, result IRIs linked to their pages.
(function () {
  const root = document.getElementById("yasgui");
  const names = document.getElementById("show-names");
  const base = root.dataset.base;            // e.g. https://w3id.org/partnergraph/
  const concepts = root.dataset.concepts;    // the fixed concept namespace
  // Classes and properties are completed from the dataset itself (/vocabulary), not from Linked Open Vocabularies
  // over the network: YASQE's own completers, forked with our list, keep its prefix handling.
  const vocabulary = fetch("/vocabulary", { headers: { Accept: "application/json" } }).then((r) => r.json());
  Yasgui.Yasqe.forkAutocompleter("class", {
    name: "dataset-classes", bulk: true, get: () => vocabulary.then((v) => v.classes.map((c) => c.iri)),
  }, false);
  Yasgui.Yasqe.forkAutocompleter("property", {
    name: "dataset-properties", bulk: true, get: () => vocabulary.then((v) => v.properties.map((p) => p.iri)),
  }, false);
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables", "dataset-classes", "dataset-properties"];
  // An absolute endpoint: YASR's error view builds a URL from it, and throws (leaving an empty pane) on "/sparql".
  const endpoint = new URL("/sparql", location.href).href;
  const yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
  });
  const tab = yasgui.getTab();
  accessible();
  // YASGUI itself reads `query` from the address and runs it (once: running it here too aborted the first run)
  yasgui.on("query", (_, current) => {
    history.replaceState(null, "", "/editor?" + new URLSearchParams({ query: current.getQuery() }));
  });
  // Point dataset IRIs at this server's pages instead of the (not yet registered) permanent host.
  const local = (href) => href.startsWith(base + "id/") ? "/page/" + href.slice((base + "id/").length)
    : href.startsWith(concepts) ? "/page/concept/" + href.slice(concepts.length) : null;
  new MutationObserver(() => {
    for (const link of root.querySelectorAll(".yasr a[href]:not([data-iri])")) {
      const target = local(link.getAttribute("href"));
      if (target) {
        link.dataset.iri = link.getAttribute("href");
        link.dataset.text = link.textContent;
        link.setAttribute("href", target);
        link.removeAttribute("target");
      }
    }
    for (const pre of root.querySelectorAll(".yasr .errorResult pre:not(.explained)")) { explain(pre); }
    accessible();
    if (names.checked) { showNames(); }
  }).observe(root, { childList: true, subtree: true });

  // Results read as names: the dataset's IRIs in the table shown by their preferred name (or a document's title),
  // asked of this endpoint in one query per batch; the IRI stays in the link and its tooltip.
  names.checked = localStorage.getItem("partnergraph-names") === "on";
  const known = new Map();
  names.addEventListener("change", () => {
    localStorage.setItem("partnergraph-names", names.checked ? "on" : "off");
    if (names.checked) { showNames(); return; }
    for (const link of root.querySelectorAll(".yasr a[data-named]")) {
      link.textContent = link.dataset.text;
      link.removeAttribute("data-named");
    }
  });
  let asking = null;
  function showNames() {
    const links = Array.from(root.querySelectorAll(".yasr a[data-iri]:not([data-named])"));
    const missing = [...new Set(links.map((l) => l.dataset.iri))].filter((iri) => !known.has(iri)).slice(0, 500);
    if (missing.length && !asking) {
      const query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dct: <http://purl.org/dc/terms/>\n" +
        "SELECT ?s ?name WHERE { VALUES ?s { " + missing.map((iri) => `<${iri}>`).join(" ") + " }\n" +
        "  ?s skos:prefLabel|dct:title ?name FILTER (LANG(?name) = \"en\" || LANG(?name) = \"\") }";
      asking = fetch(endpoint, { method: "POST", body: query, headers: { "Content-Type": "application/sparql-query",
        Accept: "application/sparql-results+json" } })
        .then((r) => r.ok ? r.json() : { results: { bindings: [] } })
        .then((answer) => {
          for (const iri of missing) { known.set(iri, null); }
          for (const row of answer.results.bindings) { known.set(row.s.value, row.name.value); }
        })
        .finally(() => { asking = null; if (names.checked) { showNames(); } });
      return;
    }
    for (const link of links) {
      const name = known.get(link.dataset.iri);
      if (name === undefined) { continue; }
      link.setAttribute("data-named", "");
      if (name) { link.textContent = name; link.title = link.dataset.iri; }
    }
  }

  // YASGUI leaves its inputs unnamed and puts the "add tab" button inside the tab list, where a screen reader
  // expects only tabs: name them, and keep the button beside the list.
  function accessible() {
    for (const input of root.querySelectorAll("input.autocomplete:not([aria-label])")) {
      input.setAttribute("aria-label", "SPARQL endpoint");
    }
    for (const select of root.querySelectorAll("select.tableSizer:not([aria-label])")) {
      select.setAttribute("aria-label", "Rows per page");
    }
    for (const area of root.querySelectorAll(".CodeMirror textarea:not([aria-label])")) {
      area.setAttribute("aria-label", "SPARQL query");
    }
    for (const button of root.querySelectorAll(".tabsList button.addTab")) {
      const holder = button.parentElement;
      holder.closest(".tabsList").after(holder);
      holder.className = "addTabHolder";
    }
  }

  // The service's errors are problem+json: show their title and detail (which says where and what to do) as text.
  function explain(pre) {
    pre.classList.add("explained");
    let problem;
    try { problem = JSON.parse(pre.textContent); } catch (_) { return; }
    if (!problem || !problem.detail) { return; }
    pre.textContent = `${problem.status} ${problem.title}: ${problem.detail}`;
    pre.setAttribute("role", "alert");
  }

  // A cut answer is never shown as whole: say where it was cut and how to get the rest.
  const notice = document.createElement("p");
  notice.id = "truncated";
  notice.className = "notice";
  notice.hidden = true;
  root.parentNode.insertBefore(notice, root);
  tab.getYasqe().on("queryResponse", (_yasqe, response) => {
    const headers = response && response.headers;  // YASQE's response wraps fetch's Headers
    const header = headers ? headers.get("Partnergraph-Result-Truncated") : null;
    notice.hidden = !header;
    if (header) {
      const rows = headers.get("Partnergraph-Result-Rows");
      const bound = (header.split(";")[1] || "").trim();
      notice.textContent = `This answer was cut after ${rows} rows (the service's ${bound} bound): ` +
        "it is not the whole answer. Page through it with ORDER BY, LIMIT and OFFSET, " +
        "or download the dumps from /download/ to query them without bounds.";
    }
  });
})();
