"""Batch: a plan of editions → PDF files, a manifest and a summary.

In: a plan (topics × languages × layouts × paper × clinics, from a plan file or the
command line's options). Out: the editions' files written atomically, ``manifest.json``
with one record per edition (inputs and their digests, output, SHA-256, pages,
warnings), and the counts the CLI prints.

`plan` reads and expands the plan; `inputs` fingerprints every input so a rerun builds
only what changed; `worker` builds editions in worker processes through `brochure.api`;
`manifest` keeps the journal and the manifest; `progress` draws the progress bar and the
summary; `merge` joins finished editions into one print file; `cluster` runs the jobs on
a Dask cluster instead of local processes; `run` ties them together.
"""
