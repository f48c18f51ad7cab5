"""The course on JupyterHub (issue 20): `fmse-course hub`, the records service `fmse-records`, the spawner that
runs each user's server under their own Unix account, the sign-up approval that makes that account, and the
hub's bilingual templates. See docs/deploy.md ("On JupyterHub")."""
