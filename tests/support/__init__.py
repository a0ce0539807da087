"""Helpers the tests share, typed and imported like any module: test modules never import from a
conftest or from one another (pytest may import a conftest twice, and a test module's helpers
are easily broken by an edit to its tests). Fixtures stay in the conftest files."""
