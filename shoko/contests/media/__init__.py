"""Video and image files of entries: where they are stored, what ffprobe says about them, how
they are converted, and how they are served (HTTP range requests)."""
