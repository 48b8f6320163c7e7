"""contentkit's built-in rules, installed as ``contentkit_rules``.

Each module is one rule family with a ``RULES`` list, registered in pyproject.toml under the
``contentkit.rules`` entry-point group, the same way a third-party rule package registers.
"""
