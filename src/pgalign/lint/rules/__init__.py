"""One small function per lint rule; `pgalign.lint.registry` names them and their severity."""
