// Comunica, a SPARQL client nobody here wrote, against the service: `node comunica.mjs ENDPOINT KIND QUERY [typed]`.
// KIND is select, ask or construct; without "typed" Comunica is not told the source is a SPARQL endpoint and finds
// out itself, from what the URL answers (the Service Description, if content negotiation gives it RDF).
import { QueryEngine } from "@comunica/query-sparql";

const [endpoint, kind, query, typed] = process.argv.slice(2);
const engine = new QueryEngine();
const context = { sources: [typed === "typed" ? { type: "sparql", value: endpoint } : endpoint], lenient: false };
if (kind === "select") {
  const rows = await (await engine.queryBindings(query, context)).toArray();
  for (const row of rows) {
    console.log(JSON.stringify(Object.fromEntries([...row].map(([name, term]) => [name.value, term.value]))));
  }
} else if (kind === "ask") {
  console.log(JSON.stringify(await engine.queryBoolean(query, context)));
} else {
  const quads = await (await engine.queryQuads(query, context)).toArray();
  for (const quad of quads) { console.log(JSON.stringify([quad.subject.value, quad.predicate.value, quad.object.value])); }
}
