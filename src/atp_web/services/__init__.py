"""What the views need beyond the store's query API: tables, exports, comparisons, live feeds."""
