"""qa_eval: measures qa_bot's answers; qa_bot never imports it (the `qa-bot eval` command loads it lazily).

- `data`: the evaluation questions and documents, held-out splits, cached eval indexes;
- `metrics`: document and passage hits, abstention errors, the threshold choice;
- `baselines`: BM25 alone, dense alone and RRF orderings of the same candidates;
- `benchmark`: the quality benchmark (ours beside the baselines), its table;
- `corpus`: the document-level report on a corpus folder, for questions that name their documents;
- `fit`: the listwise fit of the ranker's weights (needs scipy, the `eval` extra).
"""
