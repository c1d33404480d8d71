"""Web shells over qa_bot: pages and HTTP routes beside the patients' chat (the library knows nothing of them)."""
