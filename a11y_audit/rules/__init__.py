"""Rule families; each module registers its rules with `a11y_audit.registry.rule`."""
