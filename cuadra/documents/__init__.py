"""Documents: the lifecycle machinery every financial document uses (DESIGN.md convention 3)."""
