"""Extraction: the one predict/assemble loop (``loop``), the input records and the resumable output folder
(``batch``), the local and Ray engines over that loop (``batch.run_local``, ``scale``), the flat exports
(``exports``) and the command's entry points (``run``)."""
