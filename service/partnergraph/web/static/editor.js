// The SPARQL editor: YASGUI on this endpoint, the query kept in the address bar, result IRIs linked to their pages.
(function () {
  const root = document.getElementById("yasgui");
  const base = root.dataset.base;            // e.g. https://w3id.org/partnergraph/
  const concepts = root.dataset.concepts;    // the fixed concept namespace
  // Class and property completion asks Linked Open Vocabularies over the network: keep only local completers.
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  const yasgui = new Yasgui(root, {
    requestConfig: { endpoint: "/sparql", method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: () => [{ endpoint: "/sparql" }] },
  });
  const tab = yasgui.getTab();
  const wanted = new URLSearchParams(location.search).get("query");
  if (wanted) { tab.setQuery(wanted); }
  yasgui.on("query", (_, current) => {
    history.replaceState(null, "", "/editor?" + new URLSearchParams({ query: current.getQuery() }));
  });
  // Point dataset IRIs at this server's pages instead of the (not yet registered) permanent host.
  const local = (href) => href.startsWith(base + "id/") ? "/page/" + href.slice((base + "id/").length)
    : href.startsWith(concepts) ? "/page/concept/" + href.slice(concepts.length) : null;
  new MutationObserver(() => {
    for (const link of root.querySelectorAll(".yasr a[href]")) {
      const target = local(link.getAttribute("href"));
      if (target) { link.setAttribute("href", target); link.removeAttribute("target"); }
    }
  }).observe(root, { childList: true, subtree: true });
  if (wanted) { tab.query(); }
})();
