"""Where queries run. The embedded pyoxigraph store today; a remote SPARQL store behind the same calls later."""
