"""Results of the studies: the published aggregates of the study pipeline, read by territory."""
