"""Gapless legal document numbering (DESIGN.md invariant 5, seed 002 "Auto sequences")."""
