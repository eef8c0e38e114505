"""Drafting statements from new pages (`partnergraph extract`) and measuring the drafts (`partnergraph evaluate`)."""
