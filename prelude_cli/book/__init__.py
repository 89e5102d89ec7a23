"""The casebook: finding and opening it, its settings, the schemas, problems as values and text
made safe to print."""
