"""Reconciling our organisations with external registries (ROR, Wikidata). No web imports here."""
