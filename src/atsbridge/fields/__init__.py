"""Integration fields (the tool's own fields, discovered while syncing) and custom-field mappings."""
