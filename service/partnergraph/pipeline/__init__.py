"""Documents and statements in, validated RDF out. No web imports here."""
