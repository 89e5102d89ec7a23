"""What falls due: one rule per kind, and the due list over a casebook."""
