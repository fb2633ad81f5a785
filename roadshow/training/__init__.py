"""Capital-market training: materials per session, courses made of a training series, certificates of attendance."""
