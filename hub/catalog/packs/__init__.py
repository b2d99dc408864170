"""The content-pack pipeline, without Flask: read, validate, sign, build, install, remove.

manifest (pack.json schema), exercise (question sets), source (folder or zip), zipsafe
(hostile-input checks, bounded copying), validate (every problem at once), sign (Ed25519,
trusted keys), build (reproducible zips), store (files on disk), install (stage, verify, swap).
"""
