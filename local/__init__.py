"""The course's own code: `local.lib` holds the helpers that notebooks import."""
