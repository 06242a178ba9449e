"""What kind of process pgalign runs in, for the few things that depend on it."""

# Set by the console entry point, whose process ends as soon as its command does. Library
# callers and tests, which run commands in-process, leave it False.
SHORT_LIVED = False
