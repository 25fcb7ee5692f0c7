"""Pure rules of the AMO-E claim process: no web framework, no database, no hidden clock."""
